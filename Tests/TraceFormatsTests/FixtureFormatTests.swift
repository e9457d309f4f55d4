import Testing
import TraceFormats

/// One test per format fixture: sniffed right, every message read, and the
/// headings turned into times, endpoints and labels.
@Suite struct FixtureFormatTests {
    @Test func portalOutboundCall() throws {
        let t = try FixturePath.load("portal-outbound-call.txt")
        #expect(t.format == .portal)
        try #require(t.messages.count == 6)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "180 Ringing", "200 OK", "ACK", "BYE"])
        let first = t.messages[0]
        #expect(first.index == 1 && first.line == 2)
        #expect(first.sourceLabel == "PHONE" && first.destinationLabel == "CORE")
        #expect(first.source == nil && first.destination == nil)
        #expect(abs((first.timestamp ?? 0) - (14 * 3600 + 22 * 60 + 1.103)) < 0.0005)
        #expect(first.message.isElided)
        #expect(first.message.requestURI == "sip:+442071234567@203.0.113.10")
        #expect(first.message.body.contains("m=audio 16384 RTP/AVP 0 8 101"))
        let ack = t.messages[4]
        #expect(!ack.message.body.contains("no BYE"), "narration is not part of the ACK")
        let last = t.messages[5]
        #expect(last.source == Endpoint(host: "203.0.113.10", port: 5060))
        #expect(last.destinationLabel == "PHONE")
        #expect(last.message["reason"]?.contains("408") == true)
        #expect(abs((last.timestamp ?? 0) - (14 * 3600 + 22 * 60 + 41.502)) < 0.0005)
    }

    @Test func rawSIP403() throws {
        let t = try FixturePath.load("raw-sip-403.txt")
        #expect(t.format == .rawSIP)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "403 Forbidden", "ACK"])
        #expect(t.messages.allSatisfy { $0.timestamp == nil && $0.source == nil && $0.destination == nil && $0.sourceLabel == nil })
        #expect(t.messages[0].line == 1)
        #expect(t.messages[2].message["reason"]?.contains("cause=21") == true)
        #expect(t.messages.allSatisfy { $0.message.warnings.isEmpty })
        #expect(t.warnings.isEmpty)
    }

    @Test func ngrepBylineInvite488() throws {
        let t = try FixturePath.load("ngrep-invite-488.txt")
        #expect(t.format == .ngrep)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "488 Not Acceptable Here", "ACK"])
        let first = t.messages[0]
        #expect(first.source == Endpoint(host: "192.168.1.50", port: 5060))
        #expect(first.destination == Endpoint(host: "203.0.113.10", port: 5060))
        #expect(first.transport == "UDP")
        #expect(first.message.requestURI == "sip:2002@203.0.113.10")
        #expect(first.message.callID == "5b2c8e1f-488@192.168.1.50")
        #expect(first.message.body.contains("m=audio 16384 RTP/AVP 9"))
        #expect(!first.message.body.contains("."  + "\r\n"), "byline dots are line ends, not content")
        // 2026-11-24 02:13:07.123456 UTC
        #expect(abs((first.timestamp ?? 0) - 1_795_486_387.123456) < 0.000_01)
        #expect(t.messages[2].message["warning"]?.hasPrefix("304") == true)
        #expect(t.messages.allSatisfy { $0.message.warnings.isEmpty })
    }

    @Test func ngrepSingleLine() throws {
        let t = try FixturePath.load("ngrep-single-line.txt")
        #expect(t.format == .ngrep)
        #expect(t.messages.count == 7)
        #expect(t.messages.first?.message.summary == "INVITE")
        #expect(t.messages.last?.message.summary == "200 OK")
        #expect(t.messages[0].message.headers.count >= 9)
        #expect(t.messages[0].message.body.hasPrefix("v=0"))
        #expect(t.messages[3].message.contentLength == t.messages[3].message.body.utf8.count)
        #expect(t.messages.last?.source == Endpoint(host: "203.0.113.10", port: 5060))
        #expect(t.messages.allSatisfy { $0.message.warnings.isEmpty })
    }

    @Test func sngrepExport() throws {
        let t = try FixturePath.load("sngrep-export.txt")
        #expect(t.format == .sngrep)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "180 Ringing", "200 OK", "ACK", "BYE", "200 OK"])
        let first = t.messages[0]
        #expect(first.line == 2)
        #expect(first.source == Endpoint(host: "192.168.1.50", port: 5060))
        #expect(first.destination == Endpoint(host: "203.0.113.10", port: 5060))
        // 2026-11-24 14:05:01.500123 UTC
        #expect(abs((first.timestamp ?? 0) - 1_795_529_101.500123) < 0.000_01)
        #expect(t.messages.allSatisfy { $0.message.warnings.isEmpty })
    }

    @Test func pjsipLogger() throws {
        let t = try FixturePath.load("pjsip-logger.txt")
        #expect(t.format == .pjsip)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "180 Ringing", "200 OK", "ACK", "BYE", "200 OK"])
        let invite = t.messages[0]
        #expect(invite.source == Endpoint(host: "198.51.100.20", port: 5060))
        #expect(invite.destination == nil && invite.destinationLabel == "ASTERISK")
        #expect(invite.transport == "UDP")
        #expect(invite.timestamp == Double(2 * 3600 + 13 * 60 + 7))
        #expect(!invite.message.body.contains("Executing"), "the next log line ends the packet")
        let trying = t.messages[1]
        #expect(trying.source == nil && trying.sourceLabel == "ASTERISK")
        #expect(trying.destination == Endpoint(host: "198.51.100.20", port: 5060))
        #expect(t.messages.allSatisfy { $0.message.warnings.isEmpty })
    }

    @Test func freeswitchSiptrace() throws {
        let t = try FixturePath.load("freeswitch-siptrace.txt")
        #expect(t.format == .freeswitch)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "503 Service Unavailable", "ACK"])
        let invite = t.messages[0]
        #expect(invite.line == 3)
        #expect(invite.source == Endpoint(host: "192.168.1.60", port: 5060))
        #expect(invite.destinationLabel == "FREESWITCH" && invite.destination == nil)
        #expect(invite.transport == "UDP")
        #expect(abs((invite.timestamp ?? 0) - (2 * 3600 + 13 * 60 + 7.123456)) < 0.000_01)
        #expect(invite.message.headers.count >= 9, "the three-space indent is not header folding")
        #expect(invite.message.body.hasPrefix("v=0"))
        #expect(t.messages[2].sourceLabel == "FREESWITCH")
        #expect(t.messages[2].message["retry-after"] == "30")
        #expect(t.messages.allSatisfy { $0.message.warnings.isEmpty })
    }

    @Test func homerSearchJSON() throws {
        let t = try FixturePath.load("homer-search.json")
        #expect(t.format == .homerJSON)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "180 Ringing", "200 OK", "ACK", "BYE", "200 OK"])
        let first = t.messages[0]
        #expect(first.source == Endpoint(host: "192.168.1.50", port: 5060))
        #expect(first.destination == Endpoint(host: "203.0.113.10", port: 5060))
        #expect(first.sourceLabel == "PHONE" && first.destinationLabel == "SBC")
        #expect(first.transport == "UDP")
        #expect(abs((first.timestamp ?? 0) - 1_795_918_387.1) < 0.000_01)
        #expect(first.line == 0)
        #expect(t.messages.last?.index == 7)
    }
}
