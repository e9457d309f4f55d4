import Testing
import SIPCore

/// Start lines the trace readers feed the parser from damaged pastes.
@Suite struct SIPParserStartLineTests {
    @Test func requestLineWithoutURIIsNotAStartLine() {
        // Used to trap with an inverted range: the method's space is the one before SIP/2.0.
        #expect(!SIPParser.isStartLine("INVITE SIP/2.0"))
        #expect(!SIPParser.isStartLine("INVITE  SIP/2.0"))
        #expect(throws: SIPParseError.self) { try SIPParser.parse("INVITE SIP/2.0\r\nCall-ID: x\r\n") }
    }

    @Test func annotatedStartLineParses() throws {
        let m = try SIPParser.parse("INVITE sip:2002@203.0.113.10 SIP/2.0   <-- wrong number\r\nCall-ID: x\r\n")
        #expect(m.requestURI == "sip:2002@203.0.113.10")
    }

    @Test func missingMandatoryHeadersAreWarned() throws {
        let m = try SIPParser.parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.5\r\nFrom: <sip:a@b>;tag=1\r\n")
        #expect(m.warnings.contains { $0.contains("no To, Call-ID, CSeq headers") })
    }

    @Test func isStartLineAgreesWithParse() {
        for line in ["SIP/2.0 200 OK", "SIP/2.0 180", "OPTIONS sip:x@y SIP/2.0", "SIP/2.0 99 Odd", "SIP/2.0 700 No",
                     "INVITE sip:a b SIP/2.0", "invite sip:x SIP/2.0", "INVITE x SIP/2.0", "BYE sip:x SIP/2.0 "] {
            let parses = (try? SIPParser.parse(line + "\r\n")) != nil
            #expect(SIPParser.isStartLine(line) == parses, "\(line)")
        }
    }
}
