import Foundation
import Testing
@testable import Diagnosis
import TraceFormats

/// The platform's own log lines as evidence: tied to the right call, cited
/// next to the first failure, and read for why the platform answered.
@Suite struct PlatformLogTests {
    static func line(_ text: String, platform: PlatformLogLine.Platform = .asterisk, cause: String? = nil) -> PlatformLogLine {
        PlatformLogLine(platform: platform, level: .notice, time: nil, text: text, line: 1, hangupCause: cause)
    }

    @Test func theLogTurnsA404IntoADialPlanMiss() throws {
        var trace = try Fixture.trace("platform-log/catch-asterisk-dial-plan.txt")
        let d = try Fixture.diagnose(trace)
        #expect(d.verdict.headline.contains("dial plan has no match"))
        #expect(d.verdict.headline.contains("from-internal"))
        #expect(d.confidence.level == .high)
        let entry = try #require(d.platformLog?.first)
        #expect(entry.nearFirstFailure && entry.reason == "dial-plan-miss" && entry.tiedBy == "adjacency")
        // The same SIP without the log line says only what a 404 says.
        trace.platformLog = []
        let bare = try Fixture.diagnose(trace)
        #expect(bare.verdict.family == "number-unknown")
        #expect(bare.platformLog == nil)
    }

    @Test func nearMissAnotherSessionsLineBetweenTheMessagesIsNotThisCalls() throws {
        let d = try Fixture.diagnose("platform-log/near-miss.txt")
        #expect(d.verdict.family == "busy-or-declined")
        #expect(!d.otherFindings.contains { $0.family == "platform-log" })
        let log = try #require(d.platformLog)
        // 1009's NO_ROUTE_DESTINATION sits between this call's INVITE and
        // its 486, but names another user: left out.
        #expect(log.map(\.hangupCause) == ["USER_BUSY"])
        #expect(log.first?.nearFirstFailure == true && log.first?.reason == nil)
        // Still cited: the platform's words next to the failure.
        #expect(d.evidence.contains { $0.text.contains("[USER_BUSY]") })
    }

    @Test func aLineQuotingAnotherCallIDIsNotTiedWhereverItSits() throws {
        var trace = try Fixture.trace("platform-log/catch-asterisk-dial-plan.txt")
        trace.platformLog[0].callID = "someone-else@198.51.100.9"
        let d = try Fixture.diagnose(trace)
        #expect(d.platformLog == nil)
        #expect(d.verdict.family == "number-unknown")
        trace.platformLog[0].callID = "3f9e1c7a2b5d4e60@192.168.1.60"
        #expect(try Fixture.diagnose(trace).platformLog?.first?.tiedBy == "call-id")
    }

    @Test func aLineAwayFromTheFailureIsAnObservation() throws {
        var trace = try Fixture.trace("platform-log/catch-asterisk-dial-plan.txt")
        // Logged before the INVITE was read: about the call, not its 404.
        trace.platformLog[0].afterMessage = 0
        trace.platformLog[0].channel = nil
        let d = try Fixture.diagnose(trace)
        #expect(d.verdict.family == "number-unknown")
        #expect(d.platformLog?.first?.nearFirstFailure == false)
        #expect(d.otherFindings.contains { $0.family == "platform-log" })
        #expect(!d.evidence.contains { $0.text.contains("not found in context") })
    }

    @Test(arguments: [
        ("No RTP engine was found. Do you have one loaded?", PlatformLogReason.noRTPEngine),
        ("rtpengine [rtpengine.c:2674]: rtpp_function_call(): no available proxies", .noRTPEngine),
        ("res_pjsip_sdp_rtp.c:550 set_caps: No joint capabilities for 'audio' media stream between our configuration(ulaw) and incoming SDP(g729)", .noCommonCodec),
        ("pbx.c:4521 ast_pbx_run_args: Maximum call limit of 50 calls exceeded by 'PJSIP/trunk-0000002a'!", .channelLimit),
        ("mod_hash.c:264 Usage for outbound_trunk is already at max value (30)", .channelLimit),
        ("res_pjsip_session.c:3456 new_invite: Call from '1001' (UDP:10.0.0.5:5060) to extension '999' rejected because extension not found in context 'default'.", .dialPlanMiss),
        ("res_pjsip/pjsip_distributor.c:676 log_failed_request: Request 'INVITE' from '<sip:1001@203.0.113.9>' failed for '203.0.113.9:5060' (callid: x1@203.0.113.9) - Not match Endpoint ACL", .acl),
    ])
    func realWordingNamesTheReason(_ text: String, _ reason: PlatformLogReason) {
        #expect(PlatformLogReason(Self.line(text)) == reason)
    }

    @Test func freeswitchHangupCausesNameTheReason() {
        #expect(PlatformLogReason(Self.line("Hangup sofia/internal/1001@10.0.0.5 [CS_ROUTING] [NO_ROUTE_DESTINATION]", platform: .freeswitch, cause: "NO_ROUTE_DESTINATION")) == .dialPlanMiss)
        #expect(PlatformLogReason(Self.line("Hangup sofia/internal/1001@10.0.0.5 [CS_EXECUTE] [USER_BUSY]", platform: .freeswitch, cause: "USER_BUSY")) == nil)
    }

    @Test(arguments: ["Oracle connection pool warmed up", "chan_pjsip.c:2410 Endpoint 'carrier' is now Reachable", "Executing [s@macro-dial:1]"])
    func ordinaryLinesNameNoReason(_ text: String) {
        #expect(PlatformLogReason(Self.line(text)) == nil)
    }

    @Test func anACLRefusalIsNotAWrongPassword() throws {
        let d = try Fixture.diagnose("platform-log/catch-asterisk-acl.txt")
        #expect(d.verdict.headline.contains("an ACL refused the address"))
        #expect(d.platformLog?.first?.tiedBy == "call-id")
        #expect(!d.fixSteps.contains { $0.lowercased().contains("password") })
    }

    @Test func theDiagnosisConformsToTheSchema() throws {
        let d = try Fixture.diagnose("platform-log/catch-freeswitch-codec.txt")
        let json = JSONRenderer().render(d)
        #expect(json.contains("\"platformLog\""))
        #expect(JSONSchemaConformanceTests.problems(json).isEmpty, "\(JSONSchemaConformanceTests.problems(json))")
        let text = TextRenderer().render(d)
        #expect(text.contains("Platform log (2 lines tied to this call):"))
        #expect(text.contains("next to the first failure, tied by channel] FreeSWITCH NOTICE"))
        #expect(MarkdownRenderer().render(d).contains("**Platform log (2 lines tied to this call):**"))
    }
}

/// A 491 resolved by a retry is not a failure, but it is reported.
@Suite struct ResolvedGlareTests {
    @Test func aResolvedGlareIsAnObservationNamingBothRequestsAndTheRetry() throws {
        let findings = try Fixture.findings("glare/near-miss.txt")
        let glare = try #require(findings.first { $0.family == "glare" })
        #expect(glare.role == .observation && glare.outcome == .healthy)
        #expect(glare.evidence.contains { $0.text.contains("(#6) and CORE's (#7) crossed") }, "\(glare.evidence.map(\.text))")
        #expect(glare.evidence.contains { $0.text.contains("#12") && $0.text.contains("succeeded") })
        #expect(try Fixture.diagnose("glare/near-miss.txt").verdict.family == "healthy")
    }

    @Test func anUnresolvedGlareStillExplainsTheFailure() throws {
        let d = try Fixture.diagnose("glare/catch.txt")
        #expect(d.verdict.family == "glare" && d.verdict.outcome == .failed)
    }
}
