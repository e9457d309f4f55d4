import Testing
@testable import SIPCore

@Suite struct IPAddressTests {
    @Test func ipv4IsMappedInto16Bytes() throws {
        let a = try #require(IPAddress("192.0.2.1"))
        #expect(a.isIPv4)
        #expect(a.bytes == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 1])
        #expect(a.description == "192.0.2.1")
    }

    @Test func ipv6Full() throws {
        let a = try #require(IPAddress("2001:0db8:0000:0000:0000:0000:0000:0001"))
        #expect(!a.isIPv4)
        #expect(a.bytes == [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
    }

    @Test func ipv6Compressed() {
        #expect(IPAddress("2001:db8::1")?.bytes == IPAddress("2001:db8:0:0:0:0:0:1")?.bytes)
    }

    @Test func ipv6Loopback() {
        #expect(IPAddress("::1")?.bytes == Array(repeating: 0, count: 15) + [1])
    }

    @Test func ipv6Unspecified() {
        #expect(IPAddress("::")?.bytes == Array(repeating: 0, count: 16))
    }

    @Test func ipv6TrailingCompression() {
        #expect(IPAddress("fe80::")?.bytes == [0xfe, 0x80] + Array(repeating: 0, count: 14))
    }

    @Test func ipv6WithEmbeddedIPv4() {
        #expect(IPAddress("::ffff:10.0.0.1")?.bytes == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 1])
    }

    @Test func ipv6UpperCaseHex() {
        #expect(IPAddress("FD00::ABCD")?.bytes == IPAddress("fd00::abcd")?.bytes)
    }

    @Test func bracketsAreRemoved() throws {
        let a = try #require(IPAddress("[2001:db8::1]"))
        #expect(a.description == "2001:db8::1")
    }

    @Test func zoneIsRemoved() throws {
        let a = try #require(IPAddress("fe80::1%eth0"))
        #expect(a.description == "fe80::1")
        #expect(a.bytes == IPAddress("fe80::1")?.bytes)
    }

    @Test func surroundingSpacesAreTrimmed() {
        #expect(IPAddress(" 10.0.0.1 ")?.description == "10.0.0.1")
    }

    @Test(arguments: [
        "", "example.com", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "1.2.3.a", "1234.1.1.1",
        "+1.2.3.4", "1.2.3.-0", "١.٢.٣.٤",
        "1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1::2", "1:2:3:4:5:6:7:8::", "::g", "::+1",
        "::1:2:3:4:5:6:7:8",
    ])
    func invalidAddressIsNil(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    // MARK: AddressRange

    @Test func ipv4CIDRContainsInside() throws {
        let r = try #require(AddressRange("10.0.0.0/8"))
        #expect(r.prefixLength == 104)
        #expect(r.contains(IPAddress("10.255.255.255")!))
        #expect(!r.contains(IPAddress("11.0.0.0")!))
    }

    @Test func oddPrefixLength() throws {
        let r = try #require(AddressRange("172.16.0.0/12"))
        #expect(r.contains(IPAddress("172.31.255.255")!))
        #expect(!r.contains(IPAddress("172.32.0.0")!))
        #expect(!r.contains(IPAddress("172.15.255.255")!))
    }

    @Test func ipv6CIDR() throws {
        let r = try #require(AddressRange("fc00::/7"))
        #expect(r.prefixLength == 7)
        #expect(r.contains(IPAddress("fd12:3456::1")!))
        #expect(!r.contains(IPAddress("fe00::1")!))
    }

    @Test func singleAddressRange() throws {
        let r = try #require(AddressRange("203.0.113.9"))
        #expect(r.prefixLength == 128)
        #expect(r.contains(IPAddress("203.0.113.9")!))
        #expect(!r.contains(IPAddress("203.0.113.10")!))
    }

    @Test func ipv4ZeroPrefixContainsEveryIPv4ButNoIPv6() throws {
        let r = try #require(AddressRange("0.0.0.0/0"))
        #expect(r.contains(IPAddress("8.8.8.8")!))
        #expect(!r.contains(IPAddress("2001:db8::1")!))
    }

    @Test func ipv4RangeDoesNotContainUnmappedIPv6() throws {
        #expect(!(try #require(AddressRange("10.0.0.0/8"))).contains(IPAddress("::a00:1")!))
    }

    @Test func hostBitsInBaseAreIgnored() throws {
        #expect(try #require(AddressRange("192.168.1.77/24")).contains(IPAddress("192.168.1.1")!))
    }

    @Test(arguments: ["10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x", "host/8", ""])
    func invalidRangeIsNil(_ text: String) {
        #expect(AddressRange(text) == nil)
    }
}
