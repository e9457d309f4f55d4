import Foundation
import Testing
import TraceFormats

/// The shapes each format takes besides its fixture.
@Suite struct ReaderVariantTests {
    let invite = TestTraces.invite()
    let trying = TestTraces.response("100 Trying")

    @Test func ngrepSingleModeHeadingCarriesThePayload() throws {
        let one = invite.replacingOccurrences(of: "\r\n", with: "..")
        let text = "T 2026/11/24 02:13:07.123456 10.0.0.5:5060 -> 203.0.113.9:5060 [AP] \(one)\n"
            + "T 2026/11/24 02:13:07.200000 203.0.113.9:5060 -> 10.0.0.5:5060 [AP] \(trying.replacingOccurrences(of: "\r\n", with: ".."))\n"
        let t = try readText(text)
        #expect(t.format == .ngrep)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying"])
        #expect(t.messages[0].transport == "TCP")
        #expect(t.messages[0].line == 1 && t.messages[1].line == 2)
        #expect(t.messages[0].message.callID == "a84b4c76e66710@192.168.1.50")
        #expect(t.messages[0].message.body.contains("m=audio 16384"))
    }

    @Test func ngrepWithoutTimestamps() throws {
        let text = "U 10.0.0.5:5060 -> 203.0.113.9:5060\n" + invite + "\n#\nU 203.0.113.9:5060 -> 10.0.0.5:5060\n" + trying
        let t = try readText(text)
        #expect(t.format == .ngrep)
        #expect(t.messages.count == 2)
        #expect(t.messages.allSatisfy { $0.timestamp == nil })
        #expect(t.messages[1].source == Endpoint(host: "203.0.113.9", port: 5060))
    }

    @Test func sipgrepProtocolNumberAndFlagsLine() throws {
        let text = "\nT(6) 2026/11/24 02:13:07.123456 10.0.0.5:5060 -> 203.0.113.9:5060\n [AP]\n" + invite
            + "\nU +0.010000 203.0.113.9:5060 -> 10.0.0.5:5060\n" + trying
        let t = try readText(text)
        #expect(t.format == .ngrep)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying"])
        #expect(t.messages[0].transport == "TCP")
        #expect(t.messages[0].line == 4)
        #expect(t.messages[1].timestamp == nil, "a relative time is not a clock time")
        #expect(t.warnings.isEmpty)
    }

    @Test func pjsipWithISOPrefixAndIPv6() throws {
        let text = "[2026-11-24 02:13:07.250] VERBOSE[4412] res_pjsip_logger.c: <--- Received SIP request (812 bytes) from TLS:[2001:db8::9]:5061 --->\n"
            + invite + "\n[2026-11-24 02:13:07.260] VERBOSE[4412] res_pjsip_logger.c: <--- Transmitting SIP response (300 bytes) to TLS:[2001:db8::9]:5061 --->\n" + trying
        let t = try readText(text)
        #expect(t.format == .pjsip)
        #expect(t.messages.count == 2)
        #expect(t.messages[0].source == Endpoint(host: "2001:db8::9", port: 5061))
        #expect(t.messages[0].transport == "TLS")
        #expect(abs((t.messages[0].timestamp ?? 0) - 1_795_486_387.25) < 0.0001)
        #expect(t.messages[1].sourceLabel == "ASTERISK")
    }

    @Test func pjsipWithoutPrefixHasNoTime() throws {
        let text = "<--- Received SIP request (812 bytes) from UDP:203.0.113.9:5060 --->\n" + invite
        let t = try readText(text)
        #expect(t.format == .pjsip)
        #expect(t.messages[0].timestamp == nil)
        #expect(t.messages[0].destinationLabel == "ASTERISK")
    }

    @Test func freeswitchTCPWithTruncationNote() throws {
        let body = invite.split(separator: "\r\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(separator: "\n")
        let rule = "   " + String(repeating: "-", count: 72)
        let text = "send 900 bytes to tcp/[198.51.100.7]:5080 at 23:59:59.999000:\n\(rule)\n\(body)\n   *** message truncated at 2047 ***\n"
        let t = try readText(text)
        #expect(t.format == .freeswitch)
        #expect(t.messages.count == 1)
        let m = t.messages[0]
        #expect(m.destination == Endpoint(host: "198.51.100.7", port: 5080))
        #expect(m.sourceLabel == "FREESWITCH" && m.source == nil)
        #expect(m.transport == "TCP")
        #expect(abs((m.timestamp ?? 0) - 86_399.999) < 0.0001)
        #expect(m.message["via"]?.hasPrefix("SIP/2.0/UDP") == true)
    }

    @Test func sngrepIPv6WithoutBrackets() throws {
        let text = "2026/11/24 02:13:07.000001 2001:db8::5:5060 -> 2001:db8::9:5060\n" + invite + "\n\n"
        let t = try readText(text)
        #expect(t.format == .sngrep)
        #expect(t.messages[0].source == Endpoint(host: "2001:db8::5", port: 5060))
    }

    @Test func homerTransactionShapeWithProtocolHeader() throws {
        let row: [String: Any] = [
            "id": 1, "sid": "a84b4c76e66710@192.168.1.50",
            "protocol_header": ["srcIp": "198.51.100.20", "dstIp": "203.0.113.10", "srcPort": 5060, "dstPort": 5080,
                                "protocol": 6, "timeSeconds": 1_795_486_387, "timeUseconds": 500_000],
            "raw": invite,
        ]
        let json = try JSONSerialization.data(withJSONObject: ["data": ["messages": [row]]])
        let t = try TraceLoader.read(bytes: Array(json), name: "homer.json", format: nil)
        #expect(t.format == .homerJSON)
        #expect(t.messages[0].source == Endpoint(host: "198.51.100.20", port: 5060))
        #expect(t.messages[0].destination == Endpoint(host: "203.0.113.10", port: 5080))
        #expect(t.messages[0].transport == "TCP")
        #expect(t.messages[0].timestamp == 1_795_486_387.5)
    }

    @Test func homerTopLevelArrayWithBadRow() throws {
        let rows: [Any] = [["srcIp": "10.0.0.5", "srcPort": 5060, "create_date": 1_795_486_387_250, "raw": trying], "junk", ["srcIp": "10.0.0.5"]]
        let json = try JSONSerialization.data(withJSONObject: rows)
        let t = try TraceLoader.read(bytes: Array(json), name: "homer.json", format: .homerJSON)
        #expect(t.messages.count == 1)
        #expect(t.messages[0].timestamp == 1_795_486_387.25)
        #expect(t.warnings.count == 2)
        #expect(t.warnings[0].hasPrefix("row 2"))
    }

    @Test func homerMalformedJSONSaysSo() {
        #expect {
            try TraceLoader.read(bytes: Array("{\"data\": [{\"raw\": \"INVITE sip:x SIP/2.0".utf8), name: "h.json", format: .homerJSON)
        } throws: { error in
            guard case .noMessages(let format, let detail) = error as? TraceError else { return false }
            return format == .homerJSON && detail.contains("does not parse")
        }
    }

    @Test func headingWithoutMessageIsReported() throws {
        let text = "[10:00:00.000] PHONE -> CORE\n(phone never sent anything)\n[10:00:01.000] CORE -> PHONE\n" + TestTraces.response("200 OK", eol: "\n")
        let t = try readText(text)
        #expect(t.messages.count == 1)
        #expect(t.messages[0].line == 4)
        #expect(t.warnings.contains { $0.hasPrefix("line 1: a message heading with no SIP message") })
    }

    @Test func sipfragBodyUnderAHeadingIsNotASecondMessage() throws {
        let notify = "NOTIFY sip:1001@192.168.1.50 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.10;branch=z9hG4bKn1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: n1\r\nCSeq: 2 NOTIFY\r\nContent-Type: message/sipfrag\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n"
        let t = try readText("[10:00:00.000] CORE -> PHONE\n" + notify)
        #expect(t.messages.count == 1)
        #expect(t.messages[0].message.body.hasPrefix("SIP/2.0 200 OK"))
    }
}

/// The sniffer picks the right reader and refuses what none can read.
@Suite struct FormatSnifferTests {
    @Test(arguments: [
        ("portal-outbound-call.txt", TraceFormat.portal), ("raw-sip-403.txt", .rawSIP),
        ("ngrep-invite-488.txt", .ngrep), ("ngrep-single-line.txt", .ngrep), ("sngrep-export.txt", .sngrep),
        ("pjsip-logger.txt", .pjsip), ("freeswitch-siptrace.txt", .freeswitch), ("homer-search.json", .homerJSON),
    ])
    func fixtureIsSniffedAs(_ name: String, _ format: TraceFormat) throws {
        let bytes = try #require(FileManager.default.contents(atPath: FixturePath.formats(name)))
        let sniffed = Array(bytes).withUnsafeBufferPointer { FormatSniffer.sniff($0) }
        #expect(sniffed?.reader.format == format)
        #expect((sniffed?.confidence ?? 0) >= FormatSniffer.threshold)
    }

    @Test func everyFormatHasAReader() {
        for f in TraceFormat.textFormats { #expect(FormatSniffer.reader(for: f).format == f) }
    }

    @Test func proseHasNoReader() {
        let bytes = Array("Calls to +1 415 fail with busy since the upgrade.\n".utf8)
        #expect(bytes.withUnsafeBufferPointer { FormatSniffer.sniff($0) } == nil)
    }
}
