import Testing
@testable import SIPCore

@Suite struct ViaTests {
    @Test func fullVia() throws {
        let v = try #require(Via("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK776;rport=5061;received=203.0.113.9"))
        #expect(v.transport == "UDP")
        #expect(v.host == "10.0.0.5")
        #expect(v.port == 5060)
        #expect(v.branch == "z9hG4bK776")
        #expect(v.rport == 5061)
        #expect(v.received == "203.0.113.9")
    }

    @Test func transportIsUpperCased() {
        #expect(Via("SIP/2.0/tls host.example.com;branch=z9hG4bK1")?.transport == "TLS")
    }

    @Test(arguments: ["TCP", "TLS", "WS", "WSS", "SCTP"])
    func transportIsTakenFromProtocol(_ t: String) {
        #expect(Via("SIP/2.0/\(t) h;branch=z9hG4bK1")?.transport == t)
    }

    @Test func hostWithoutPort() throws {
        let v = try #require(Via("SIP/2.0/TCP proxy.example.com;branch=z9hG4bK1"))
        #expect(v.host == "proxy.example.com")
        #expect(v.port == nil)
    }

    @Test func ipv6HostInBracketsWithPort() throws {
        let v = try #require(Via("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKv6"))
        #expect(v.host == "2001:db8::1")
        #expect(v.port == 5060)
        #expect(v.branch == "z9hG4bKv6")
    }

    @Test func ipv6ReceivedParameter() {
        #expect(Via("SIP/2.0/UDP [2001:db8::1]:5060;received=2001:db8::9;branch=z9hG4bK1")?.received == "2001:db8::9")
    }

    @Test func bareRportHasNoValueButIsPresent() throws {
        let v = try #require(Via("SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK1"))
        #expect(v.rport == nil)
        #expect(v.parameters.contains("rport"))
    }

    @Test func noParameters() throws {
        let v = try #require(Via("SIP/2.0/UDP 10.0.0.5"))
        #expect(v.branch == nil)
        #expect(v.parameters.items.isEmpty)
    }

    @Test func spaceBeforeParametersIsTolerated() throws {
        let v = try #require(Via("SIP/2.0/UDP 10.0.0.5:5060 ;branch=z9hG4bK1"))
        #expect(v.port == 5060)
        #expect(v.branch == "z9hG4bK1")
    }

    @Test func tabBetweenProtocolAndHost() {
        #expect(Via("SIP/2.0/UDP\t10.0.0.5:5060;branch=z9hG4bK1")?.host == "10.0.0.5")
    }

    @Test func spacesAroundSlashesInProtocol() throws {
        // RFC 3261 allows LWS around the slashes of sent-protocol.
        let v = try #require(Via("SIP / 2.0 / UDP 10.0.0.5:5060;branch=z9hG4bK1"))
        #expect(v.transport == "UDP")
        #expect(v.host == "10.0.0.5")
        #expect(v.port == 5060)
    }

    @Test(arguments: ["", "SIP/2.0/UDP", "SIP/2.0/UDP ;branch=z9hG4bK1", "garbage"])
    func invalidViaIsNil(_ text: String) {
        #expect(Via(text) == nil)
    }
}
