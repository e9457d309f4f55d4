import Testing
@testable import SIPCore

@Suite struct NameAddressTests {
    @Test func quotedDisplayNameURIAndTag() throws {
        let n = try #require(NameAddress("\"Bob\" <sip:1001@example.com>;tag=xyz"))
        #expect(n.displayName == "Bob")
        #expect(n.uriText == "sip:1001@example.com")
        #expect(n.uri?.user == "1001")
        #expect(n.tag == "xyz")
    }

    @Test func unquotedDisplayName() {
        #expect(NameAddress("Bob Smith <sip:bob@example.com>")?.displayName == "Bob Smith")
    }

    @Test func noDisplayName() throws {
        let n = try #require(NameAddress("<sip:bob@example.com>"))
        #expect(n.displayName == nil)
        #expect(n.tag == nil)
    }

    @Test func emptyQuotedDisplayNameIsNil() {
        #expect(NameAddress("\"\" <sip:bob@example.com>")?.displayName == nil)
    }

    @Test func displayNameWithComma() {
        #expect(NameAddress("\"Doe, John\" <sip:john@example.com>;tag=1")?.displayName == "Doe, John")
    }

    @Test func displayNameWithAngleBracketInsideQuotes() throws {
        let n = try #require(NameAddress("\"Reception <front desk>\" <sip:100@example.com>;tag=7"))
        #expect(n.displayName == "Reception <front desk>")
        #expect(n.uri?.user == "100")
        #expect(n.tag == "7")
    }

    @Test func displayNameEscapedQuotesAreUnescaped() {
        #expect(NameAddress("\"Bob \\\"B\\\" Smith\" <sip:bob@example.com>")?.displayName == "Bob \"B\" Smith")
    }

    @Test func uriParametersStayInURIInNameAddrForm() throws {
        let n = try #require(NameAddress("<sip:alice@10.0.0.1;transport=tcp>;tag=abc;expires=60"))
        #expect(n.uri?.parameters["transport"] == "tcp")
        #expect(n.parameters["transport"] == nil)
        #expect(n.tag == "abc")
        #expect(n.parameters["expires"] == "60")
    }

    @Test func addrSpecTagIsHeaderParameter() throws {
        let n = try #require(NameAddress("sip:1001@example.com;tag=xyz"))
        #expect(n.displayName == nil)
        #expect(n.uriText == "sip:1001@example.com")
        #expect(n.tag == "xyz")
        #expect(n.uri?.parameters.contains("tag") == false)
    }

    @Test func addrSpecWithoutParameters() throws {
        let n = try #require(NameAddress("sip:1001@example.com"))
        #expect(n.uri?.host == "example.com")
        #expect(n.parameters.items.isEmpty)
    }

    @Test func telURIInNameAddr() {
        #expect(NameAddress("<tel:+15551234567>")?.uri?.number == "+15551234567")
    }

    @Test func nonSIPURIKeepsText() throws {
        let n = try #require(NameAddress("<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>"))
        #expect(n.uri == nil)
        #expect(n.uriText == "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
    }

    @Test func tagAfterSpacesIsFound() {
        #expect(NameAddress("<sip:a@b> ; tag = t1")?.tag == "t1")
    }

    @Test func emptyTextIsNil() {
        #expect(NameAddress("") == nil)
        #expect(NameAddress("   ") == nil)
    }
}
