import Testing
@testable import SIPCore

@Suite struct SIPMessageTests {
    @Test func callIDIsTrimmed() {
        let m = SIPMessage(startLine: .response(code: 200, reason: "OK"), headers: [SIPHeader(name: "Call-ID", value: "  abc@h \t")])
        #expect(m.callID == "abc@h")
    }

    @Test func callIDKeepsCase() throws {
        #expect(try parsed("SIP/2.0 200 OK", "Call-ID: AbC@Host", "").callID == "AbC@Host")
    }

    @Test func callIDFromCompactForm() throws {
        #expect(try parsed("SIP/2.0 200 OK", "i: 89f3a1b2@10.10.1.50", "").callID == "89f3a1b2@10.10.1.50")
    }

    @Test func missingCallIDIsNil() throws {
        #expect(try parsed("SIP/2.0 200 OK", "").callID == nil)
    }

    @Test func cseqAccessorParses() throws {
        #expect(try parsed("SIP/2.0 200 OK", "CSeq: 102 INVITE", "").cseq == CSeq(number: 102, method: "INVITE"))
    }

    @Test func fromAccessorGivesNameAddress() throws {
        let from = try #require(try parsed("SIP/2.0 200 OK", "From: \"Alice\" <sip:alice@example.com>;tag=88", "").from)
        #expect(from.displayName == "Alice")
        #expect(from.uri?.user == "alice")
        #expect(from.tag == "88")
    }

    @Test func toAccessorGivesNameAddress() throws {
        let to = try #require(try parsed("SIP/2.0 200 OK", "t: sip:bob@example.com;tag=99", "").to)
        #expect(to.uri?.host == "example.com")
        #expect(to.tag == "99")
    }

    @Test func subscriptFindsLongNameCaseInsensitively() throws {
        let m = try parsed("SIP/2.0 200 OK", "CALL-ID: x", "")
        #expect(m["call-id"] == "x")
        #expect(m["Call-ID"] == "x")
        #expect(m["CALL-id"] == "x")
    }

    @Test func subscriptByCompactNameFindsLongHeader() throws {
        let m = try parsed("SIP/2.0 200 OK", "Call-ID: x", "Identity: tok", "")
        #expect(m["i"] == "x")
        #expect(m["I"] == "x")
        #expect(m["y"] == "tok")
    }

    @Test func subscriptByLongNameFindsCompactHeader() throws {
        let m = try parsed("SIP/2.0 200 OK", "i: x", "")
        #expect(m["Call-ID"] == "x")
    }

    @Test func subscriptReturnsFirstOfRepeatedHeaders() throws {
        let m = try parsed("SIP/2.0 200 OK", "Route: <sip:a>", "Route: <sip:b>", "")
        #expect(m["route"] == "<sip:a>")
    }

    @Test func subscriptOfMissingHeaderIsNil() throws {
        #expect(try parsed("SIP/2.0 200 OK", "").self["x-missing"] == nil)
    }

    @Test func hasHeaderIsTrueForAnySpelling() throws {
        let m = try parsed("SIP/2.0 200 OK", "k: timer", "")
        #expect(m.hasHeader("Supported"))
        #expect(m.hasHeader("k"))
        #expect(!m.hasHeader("Require"))
    }

    @Test func valuesSplitsCommaList() throws {
        let m = try parsed("SIP/2.0 200 OK", "Allow: INVITE, ACK,BYE ,  CANCEL", "")
        #expect(m.values("allow") == ["INVITE", "ACK", "BYE", "CANCEL"])
    }

    @Test func valuesJoinsRepeatedLines() throws {
        let m = try parsed("SIP/2.0 200 OK", "Supported: timer", "k: replaces, 100rel", "")
        #expect(m.values("Supported") == ["timer", "replaces", "100rel"])
    }

    @Test func valuesKeepsCommaInsideQuotedDisplayName() throws {
        let m = try parsed("SIP/2.0 200 OK", "Contact: \"Doe, John\" <sip:john@10.0.0.1>, <sip:jd@10.0.0.2>", "")
        #expect(m.values("contact") == ["\"Doe, John\" <sip:john@10.0.0.1>", "<sip:jd@10.0.0.2>"])
    }

    @Test func valuesKeepsCommaInsideAngleBrackets() throws {
        let m = try parsed("SIP/2.0 200 OK", "Route: <sip:a@x;lr;foo=a,b>, <sip:b@y;lr>", "")
        #expect(m.values("route") == ["<sip:a@x;lr;foo=a,b>", "<sip:b@y;lr>"])
    }

    @Test func valuesOfMissingHeaderIsEmpty() throws {
        #expect(try parsed("SIP/2.0 200 OK", "").values("via").isEmpty)
    }

    @Test func viasFromOneLineWithCommas() throws {
        let m = try parsed("SIP/2.0 200 OK", "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa, SIP/2.0/TCP proxy.example.com;branch=z9hG4bKb", "")
        #expect(m.vias.map(\.host) == ["10.0.0.1", "proxy.example.com"])
        #expect(m.vias.map(\.branch) == ["z9hG4bKa", "z9hG4bKb"])
        #expect(m.vias.map(\.transport) == ["UDP", "TCP"])
    }

    @Test func viasFromSeveralLinesKeepOrder() throws {
        let m = try parsed(
            "SIP/2.0 200 OK",
            "Via: SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK1",
            "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK2, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK3",
            "")
        #expect(m.vias.map(\.branch) == ["z9hG4bK1", "z9hG4bK2", "z9hG4bK3"])
        #expect(m.topVia?.host == "203.0.113.9")
    }

    @Test func viasSkipUnparsableEntries() throws {
        let m = try parsed("SIP/2.0 200 OK", "Via: garbage, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKok", "")
        #expect(m.vias.map(\.branch) == ["z9hG4bKok"])
    }

    @Test func topViaOfMessageWithoutViaIsNil() throws {
        #expect(try parsed("SIP/2.0 200 OK", "").topVia == nil)
    }

    @Test func contactsSplitsList() throws {
        let m = try parsed("SIP/2.0 200 OK", "Contact: <sip:a@10.0.0.1>;expires=60, \"B, Jr\" <sip:b@10.0.0.2>;q=0.5", "")
        #expect(m.contacts.count == 2)
        #expect(m.contacts[0].parameters["expires"] == "60")
        #expect(m.contacts[1].displayName == "B, Jr")
        #expect(m.contacts[1].parameters["q"] == "0.5")
    }

    @Test func contactStarIsKept() throws {
        let m = try parsed("REGISTER sip:example.com SIP/2.0", "Contact: *", "Expires: 0", "")
        #expect(m.contacts.first?.uriText == "*")
        #expect(m.contacts.first?.uri == nil)
    }

    @Test func userAgentFallsBackToServer() throws {
        #expect(try parsed("SIP/2.0 200 OK", "Server: Asterisk PBX 20", "").userAgent == "Asterisk PBX 20")
    }

    @Test func userAgentPrefersUserAgent() throws {
        #expect(try parsed("SIP/2.0 200 OK", "Server: S", "User-Agent: Yealink T46U", "").userAgent == "Yealink T46U")
    }

    @Test func contentTypeIsLowerCasedAndTrimmed() throws {
        #expect(try parsed("SIP/2.0 200 OK", "Content-Type: Application/SDP ", "").contentType == "application/sdp")
    }

    @Test func contentLengthParsesInteger() throws {
        #expect(try parsed("SIP/2.0 200 OK", "Content-Length:   142", "").contentLength == 142)
    }

    @Test func summaryOfRequestIsMethod() {
        #expect(SIPMessage(startLine: .request(method: "BYE", uri: "sip:a@b"), headers: []).summary == "BYE")
    }

    @Test func summaryOfResponseIsCodeAndReason() {
        #expect(SIPMessage(startLine: .response(code: 486, reason: "Busy Here"), headers: []).summary == "486 Busy Here")
    }

    @Test func summaryOfResponseWithoutReasonIsCode() {
        #expect(SIPMessage(startLine: .response(code: 200, reason: ""), headers: []).summary == "200")
    }

    @Test func trimmingSpacesRemovesSpacesTabsAndTrailingLineEnds() {
        #expect(" \tab c\t \r\n".trimmingSpaces() == "ab c")
    }

    @Test func trimmingSpacesOfCleanStringIsUnchanged() {
        #expect("abc".trimmingSpaces() == "abc")
    }

    @Test func trimmingSpacesOfBlankIsEmpty() {
        #expect("  \t ".trimmingSpaces() == "")
    }
}

@Suite struct SIPMessageWireTests {
    @Test func wireTextParsesBackToTheSameMessageWithATruthfulLength() throws {
        let text = "INVITE sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-1\ni: abc@10.0.0.5\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:bob@example.com>\nCSeq: 1 INVITE\nContent-Length: 999\nContent-Type: application/sdp\n\nv=0\nc=IN IP4 10.0.0.5\nm=audio 4000 RTP/AVP 0\n"
        let m = try SIPParser.parse(text)
        let wire = m.wireText
        #expect(wire.hasPrefix("INVITE sip:bob@example.com SIP/2.0\r\nVia: "))
        #expect(wire.contains("\r\ni: abc@10.0.0.5\r\n"))
        #expect(wire.contains("Content-Length: 48\r\n\r\nv=0\r\n"))
        let back = try SIPParser.parse(wire)
        #expect(back.callID == "abc@10.0.0.5")
        #expect(back.sdp?.audio?.port == 4000)
        #expect(back.contentLength == back.body.utf8.count)
        #expect(back.warnings.isEmpty)
    }

    @Test func responseWithoutBodyEndsWithTheBlankLine() throws {
        let m = try SIPParser.parse("SIP/2.0 180 Ringing\r\nCall-ID: x\r\n\r\n")
        #expect(m.wireText == "SIP/2.0 180 Ringing\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func bareLineEndsInAHandBuiltBodyBecomeCRLF() {
        let m = SIPMessage(startLine: .response(code: 200, reason: "OK"), headers: [], body: "v=0\nc=IN IP4 1.2.3.4\rm=audio 1 RTP/AVP 0")
        #expect(m.wireText.hasSuffix("Content-Length: 44\r\n\r\nv=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 0\r\n"))
    }
}
