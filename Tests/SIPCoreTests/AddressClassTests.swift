import Testing
@testable import SIPCore

@Suite struct AddressClassTests {
    @Test(arguments: ["10.0.0.0", "10.10.1.50", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255"])
    func rfc1918IsPrivate(_ a: String) { #expect(AddressClass(a) == .private) }

    @Test(arguments: ["100.64.0.0", "100.64.0.1", "100.100.1.1", "100.127.255.255"])
    func cgnatRange(_ a: String) { #expect(AddressClass(a) == .sharedCGNAT) }

    @Test(arguments: ["100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.169.0.1", "11.0.0.1", "8.8.8.8", "203.0.113.9", "0.0.0.1"])
    func edgesOutsidePrivateRangesArePublic(_ a: String) { #expect(AddressClass(a) == .public) }

    @Test(arguments: ["169.254.0.1", "169.254.255.255", "fe80::1", "febf::1"])
    func linkLocal(_ a: String) { #expect(AddressClass(a) == .linkLocal) }

    @Test(arguments: ["127.0.0.1", "127.255.255.254", "::1"])
    func loopback(_ a: String) { #expect(AddressClass(a) == .loopback) }

    @Test(arguments: ["0.0.0.0", "::"])
    func unspecified(_ a: String) { #expect(AddressClass(a) == .unspecified) }

    @Test(arguments: ["fc00::1", "fd00::1", "fdff:ffff::1", "[fd12::5]"])
    func uniqueLocalIPv6IsPrivate(_ a: String) { #expect(AddressClass(a) == .private) }

    @Test(arguments: ["2001:db8::1", "2600::1", "fe00::1", "fec0::1"])
    func globalIPv6IsPublic(_ a: String) { #expect(AddressClass(a) == .public) }

    @Test func ipv4MappedPrivateIsPrivate() { #expect(AddressClass("::ffff:192.168.1.2") == .private) }

    @Test(arguments: ["example.com", "pbx.local", "", "10.0.0", "sip:10.0.0.1"])
    func nonAddressIsHostname(_ a: String) { #expect(AddressClass(a) == .hostname) }

    @Test func rawValues() {
        #expect(AddressClass.sharedCGNAT.rawValue == "cgnat")
        #expect(AddressClass.linkLocal.rawValue == "link-local")
        #expect(AddressClass.private.rawValue == "private")
    }

    @Test(arguments: [AddressClass.private, .sharedCGNAT, .linkLocal, .loopback])
    func unroutableClasses(_ c: AddressClass) { #expect(c.isUnroutable) }

    @Test(arguments: [AddressClass.public, .unspecified, .hostname])
    func routableOrNotAnAddress(_ c: AddressClass) { #expect(!c.isUnroutable) }
}
