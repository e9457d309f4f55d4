import Foundation
import Testing
@testable import TraceFormats

/// The platform's own log lines in a console paste: recognised, read
/// (time, level, what they name), kept on the trace and placed among the
/// messages, instead of being skipped or swallowed into a message body.
@Suite struct PlatformLogLineTests {
    static func parse(_ line: String) -> PlatformLogLine? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBufferPointer { PlatformLogParser.parse($0, 0..<$0.count, line: 7) }
    }

    @Test func asteriskLineWithCallID() throws {
        let l = try #require(Self.parse("[Nov 24 02:13:07] WARNING[12345][C-00000042]: chan_pjsip.c:2410 hangup_cause2sip: No joint capabilities"))
        #expect(l.platform == .asterisk && l.level == .warning)
        #expect(l.channel == "C-00000042")
        #expect(l.time == Double(2 * 3600 + 13 * 60 + 7))
        #expect(l.text == "chan_pjsip.c:2410 hangup_cause2sip: No joint capabilities")
        #expect(l.line == 7)
    }

    @Test func asteriskLineWithADateAndAChannelInItsText() throws {
        let l = try #require(Self.parse("[2026-11-24 02:13:07.250] ERROR[2245]: rtp_engine.c:489 ast_rtp_instance_new: No RTP engine was found. Do you have one loaded? (PJSIP/1001-00000003)"))
        #expect(l.level == .error)
        #expect(abs((l.time ?? 0) - (1_795_478_400 + 2 * 3600 + 13 * 60 + 7.25)) < 0.001)
        #expect(l.channel == "PJSIP/1001-00000003")
    }

    @Test func freeswitchHangupWithCause() throws {
        let l = try #require(Self.parse("2026-11-24 02:13:07.123456 [NOTICE] switch_channel.c:3993 Hangup sofia/internal/1001@10.0.0.5 [CS_CONSUME_MEDIA] [INCOMPATIBLE_DESTINATION]"))
        #expect(l.platform == .freeswitch && l.level == .notice)
        #expect(l.hangupCause == "INCOMPATIBLE_DESTINATION")
        #expect(l.channel == "sofia/internal/1001@10.0.0.5")
        #expect(abs((l.time ?? 0) - (2 * 3600 + 13 * 60 + 7.123456)) < 0.000_01, "time of day, as its siptrace gives it")
    }

    @Test func freeswitchLineWithSessionAndIdleFigure() throws {
        let l = try #require(Self.parse("0b7a2c52-8d4e-4f21-9a53-6c1e2f3a4b5d 2026-11-24 02:13:07.123456 97.87% [ERR] sofia.c:7512 Max sessions exceeded (callid: 5c0e77d1a9@192.168.1.60)"))
        #expect(l.level == .error)
        #expect(l.channel == "0b7a2c52-8d4e-4f21-9a53-6c1e2f3a4b5d")
        #expect(l.callID == "5c0e77d1a9@192.168.1.60")
    }

    @Test func kamailioLine() throws {
        let l = try #require(Self.parse(" 3(12894) ERROR: rtpengine [rtpengine.c:2674]: rtpp_function_call(): no available proxies"))
        #expect(l.platform == .kamailio && l.level == .error && l.time == nil)
        #expect(l.text == "rtpengine [rtpengine.c:2674]: rtpp_function_call(): no available proxies")
    }

    @Test(arguments: [
        "[Nov 24 02:13:07] VERBOSE[2231] res_pjsip_logger.c: <--- Received SIP request (692 bytes) from UDP:198.51.100.20:5060 --->",
        "2026-11-24 02:13:07.123456 [INFO] mod_dialplan_xml.c:637 Processing 1001 <1001>->5551234 in context public",
        " 1(12890) INFO: <core> [main.c:3091]: main(): processes (at least): 25",
        "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1",
        "a=rtpmap:0 PCMU/8000",
        "12 INVITE",
        "[14:22:01.103] PHONE -> CORE",
    ])
    func notAPlatformLogLine(_ line: String) {
        #expect(Self.parse(line) == nil)
    }

    @Test func aRawPasteKeepsKamailioLinesAndTheMessagesStayWhole() throws {
        let text = """
        INVITE sip:2002@10.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKk1
        From: <sip:2001@10.0.0.1>;tag=a
        To: <sip:2002@10.0.0.1>
        Call-ID: k1@10.0.0.5
        CSeq: 1 INVITE
        Content-Length: 0

         3(12894) ERROR: rtpengine [rtpengine.c:2674]: rtpp_function_call(): no available proxies
        SIP/2.0 503 Service Unavailable
        Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKk1
        From: <sip:2001@10.0.0.1>;tag=a
        To: <sip:2002@10.0.0.1>;tag=b
        Call-ID: k1@10.0.0.5
        CSeq: 1 INVITE
        Content-Length: 0

        """
        let t = try readText(text, format: .rawSIP)
        #expect(t.messages.count == 2)
        #expect(t.messages.allSatisfy { $0.message.warnings.isEmpty && !$0.message.body.contains("rtpengine") })
        let l = try #require(t.platformLog.first)
        #expect(t.platformLog.count == 1)
        #expect(l.afterMessage == 1 && l.line == 9)
        #expect(!t.warnings.contains { $0.contains("outside any SIP message") })
    }

    @Test func aPJSIPPasteKeepsTheNoticeBetweenTheMessages() throws {
        let t = try TraceLoader.load(path: FixturePath.packageRoot.appendingPathComponent("Fixtures/traces/platform-log/catch-asterisk-dial-plan.txt").path)
        #expect(t.format == .pjsip)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "404 Not Found", "ACK"])
        let l = try #require(t.platformLog.first)
        #expect(t.platformLog.count == 1, "VERBOSE lines are not kept")
        #expect(l.level == .notice && l.afterMessage == 2)
        #expect(l.text.contains("not found in context 'from-internal'"))
    }

    @Test func aFreeSWITCHPasteKeepsItsHangupLine() throws {
        let t = try TraceLoader.load(path: FixturePath.packageRoot.appendingPathComponent("Fixtures/traces/platform-log/catch-freeswitch-codec.txt").path)
        #expect(t.format == .freeswitch)
        #expect(t.messages.count == 4)
        #expect(t.platformLog.map(\.afterMessage) == [2, 2])
        #expect(t.platformLog.last?.hangupCause == "INCOMPATIBLE_DESTINATION")
    }

    @Test func tracesWithoutLogLinesHaveNone() throws {
        #expect(try FixturePath.load("pjsip-logger.txt").platformLog.isEmpty)
        #expect(try FixturePath.load("raw-sip-403.txt").platformLog.isEmpty)
    }
}
