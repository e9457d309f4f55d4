import Testing
@testable import SIPCore

@Suite struct SIPURITests {
    @Test func fullSIPURI() throws {
        let u = try #require(SIPURI("sip:+15551234567@gw.example.com:5060;transport=udp"))
        #expect(u.scheme == "sip")
        #expect(u.user == "+15551234567")
        #expect(u.host == "gw.example.com")
        #expect(u.port == 5060)
        #expect(u.parameters["transport"] == "udp")
        #expect(u.raw == "sip:+15551234567@gw.example.com:5060;transport=udp")
        #expect(u.description == u.raw)
    }

    @Test func sipsScheme() throws {
        let u = try #require(SIPURI("sips:alice@secure.example.com"))
        #expect(u.scheme == "sips")
        #expect(u.host == "secure.example.com")
        #expect(u.port == nil)
    }

    @Test func schemeIsLowerCased() {
        #expect(SIPURI("SIP:alice@example.com")?.scheme == "sip")
    }

    @Test func hostOnlyURIHasNoUser() throws {
        let u = try #require(SIPURI("sip:proxy.example.com;lr"))
        #expect(u.user == nil)
        #expect(u.host == "proxy.example.com")
        #expect(u.parameters.contains("lr"))
    }

    @Test func passwordIsNotPartOfUser() {
        #expect(SIPURI("sip:alice:secret@example.com")?.user == "alice")
    }

    @Test func uriHeadersAreIgnored() throws {
        let u = try #require(SIPURI("sip:bob@example.com?Subject=hi&Priority=urgent"))
        #expect(u.host == "example.com")
        #expect(u.parameters.items.isEmpty)
    }

    @Test func telURI() throws {
        let u = try #require(SIPURI("tel:+1-555-123-4567;phone-context=example.com"))
        #expect(u.scheme == "tel")
        #expect(u.user == "+1-555-123-4567")
        #expect(u.host == "")
        #expect(u.port == nil)
        #expect(u.parameters["phone-context"] == "example.com")
        #expect(u.number == "+15551234567")
    }

    @Test func ipv6HostInBracketsWithPort() throws {
        let u = try #require(SIPURI("sip:alice@[2001:db8::1]:5070;transport=tcp"))
        #expect(u.host == "2001:db8::1")
        #expect(u.port == 5070)
        #expect(u.parameters["transport"] == "tcp")
    }

    @Test func ipv6HostInBracketsWithoutPort() throws {
        let u = try #require(SIPURI("sip:[2001:db8::5]"))
        #expect(u.host == "2001:db8::5")
        #expect(u.port == nil)
    }

    @Test func ipv4HostWithPort() throws {
        let u = try #require(SIPURI("sip:1001@10.10.1.50:5062"))
        #expect(u.host == "10.10.1.50")
        #expect(u.port == 5062)
    }

    @Test func surroundingSpacesAreTrimmed() {
        #expect(SIPURI("  sip:a@b  ")?.raw == "sip:a@b")
    }

    @Test func userParametersBeforeAtStayInUser() throws {
        // RFC 4694 number portability: the user part carries ;npdi;rn=.
        let u = try #require(SIPURI("sip:+15551234567;npdi;rn=+15559990000@carrier.example.net;user=phone"))
        #expect(u.user == "+15551234567;npdi;rn=+15559990000")
        #expect(u.host == "carrier.example.net")
        #expect(u.parameters["user"] == "phone")
        #expect(!u.parameters.contains("npdi"))
        #expect(u.number == "+15551234567")
    }

    @Test func numberStripsVisualSeparators() {
        #expect(SIPURI("sip:+1 (555) 123-4567@x")?.number == "+15551234567")
    }

    @Test func numberOfAlphabeticUserIsNil() {
        #expect(SIPURI("sip:alice@example.com")?.number == nil)
    }

    @Test func numberWithoutUserIsNil() {
        #expect(SIPURI("sip:example.com")?.number == nil)
    }

    @Test(arguments: ["http://example.com", "mailto:a@b", "urn:service:sos", "no-colon", "", "sip:", "sip:alice@", "sip:;lr"])
    func invalidURIIsNil(_ text: String) {
        #expect(SIPURI(text) == nil)
    }

    // MARK: HostPort

    @Test func hostPortSplitsHostAndPort() {
        let (h, p) = HostPort.split("example.com:5060")
        #expect(h == "example.com")
        #expect(p == 5060)
    }

    @Test func hostPortWithoutPort() {
        let (h, p) = HostPort.split("example.com")
        #expect(h == "example.com")
        #expect(p == nil)
    }

    @Test func hostPortBracketedIPv6WithPort() {
        let (h, p) = HostPort.split("[2001:db8::1]:5060")
        #expect(h == "2001:db8::1")
        #expect(p == 5060)
    }

    @Test func hostPortBareIPv6HasNoPort() {
        let (h, p) = HostPort.split("2001:db8::1")
        #expect(h == "2001:db8::1")
        #expect(p == nil)
    }

    @Test func hostPortUnclosedBracket() {
        let (h, p) = HostPort.split("[2001:db8::1")
        #expect(h == "2001:db8::1")
        #expect(p == nil)
    }

    @Test func hostPortNonNumericPortIsNil() {
        let (h, p) = HostPort.split("host:abc")
        #expect(h == "host")
        #expect(p == nil)
    }
}
