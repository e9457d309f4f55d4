import Foundation
import Testing
import TraceFormats
@testable import Diagnosis

/// The field guide's examples, typed as traces: each must come out with
/// the guide's verdict and fix.
@Suite struct FieldGuideTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func diagnose(_ name: String, peers: [String] = []) throws -> Diagnosis {
        let path = Self.root.appendingPathComponent("Fixtures/traces/field-guide/\(name)").path
        let trace = try TraceLoader.load(path: path)
        let all = Diagnoser(options: DiagnosisOptions(peers: try PeerMap(parsing: peers))).diagnoseAll(trace)
        try #require(all.count == 1, "expected one call in \(name), got \(all.count)")
        return all[0]
    }

    @Test func annotatedOutboundCallIsHealthyWithThreeParticipantsAndTwoTiedLegs() throws {
        let d = try diagnose("outbound-call.txt")
        #expect(d.verdict.outcome == .healthy)
        #expect(d.verdict.family == "healthy")
        #expect(d.firstFailure == nil)
        #expect(d.state == .completed)
        #expect(d.participants.map(\.name) == ["PHONE", "CORE", "CARRIER"])
        #expect(d.legs.map(\.callID) == ["89f3a1b2-c4d5-6e7f@10.10.1.50", "89f3a1b2-c4d5-6e7f@nscore.example.com"])
        #expect(d.legs[1].tiedBy?.contains("same local part") == true)
        #expect(d.ladder.count == 14)
        #expect(d.otherFindings.contains { $0.family == "stir-shaken" && $0.headline.contains("full attestation") })
        #expect(d.warnings.isEmpty, "the typed trace's Content-Lengths are right: \(d.warnings)")
        #expect(d.limitations.contains { $0.contains("No RTP") })
    }

    @Test func forbiddenFromTheCarrierPointsAtPermissionsThenDialPlanThenCarrier() throws {
        let d = try diagnose("forbidden-403.txt")
        #expect(d.verdict.family == "forbidden")
        #expect(d.firstFailure?.messageIndex == 4)
        #expect(d.firstFailure?.summary == "403 Forbidden")
        #expect(d.evidence.contains { $0.text.contains("Q.850 cause 21") })
        #expect(d.fixSteps.first?.contains("dial permissions") == true)
        #expect(d.fixSteps.count == 3)
        #expect(d.fixSteps[2].contains("carrier"))
        #expect(d.ladder.first { $0.isFirstFailure }?.messageIndex == 4)
    }

    @Test func g722OnlyOfferRejectedWith488IsACodecMismatch() throws {
        let d = try diagnose("codec-488.txt")
        #expect(d.verdict.family == "codec-mismatch")
        #expect(d.verdict.headline.contains("G722"))
        #expect(d.firstFailure?.messageIndex == 3)
        #expect(d.evidence.contains { $0.text.contains("Warning: 304") })
        #expect(d.fixSteps.first?.contains("G.711") == true)
        #expect(d.confidence.level == .high)
    }

    @Test func silentCarrierIsATimeoutAtTheCarrierWithRetransmissionsFolded() throws {
        let d = try diagnose("timeout-408.txt")
        #expect(d.verdict.family == "no-answer")
        #expect(d.verdict.responsibleSide?.contains("CARRIER") == true)
        #expect(d.firstFailure?.messageIndex == 3)
        let invite = try #require(d.ladder.first { $0.messageIndex == 3 })
        #expect(invite.count == 7)
        #expect(d.ladder.count == 5)
        #expect(d.fixSteps.contains { $0.contains("allowlist") })
    }

    @Test func trunkFull503WithRetryAfterAndCause41() throws {
        let d = try diagnose("unavailable-503.txt")
        #expect(d.verdict.family == "service-unavailable")
        #expect(d.evidence.contains { $0.text.contains("Retry-After: 60") })
        #expect(d.evidence.contains { $0.text.contains("cause 41") })
        #expect(d.fixSteps.first?.contains("concurrent calls") == true)
    }

    @Test func registrationExpiryOverrideWithLateReRegister() throws {
        let d = try diagnose("registration-expiry.txt")
        #expect(d.verdict.family == "registration")
        #expect(d.verdict.outcome == .degraded)
        #expect(d.state == .registration)
        #expect(d.firstFailure == nil, "the 401 was answered with credentials; the last REGISTER is only unanswered in the capture")
        // The guide's own check, both sides in one line.
        #expect(d.evidence.contains { $0.text.contains("asked Expires 3600 s") && $0.text.contains("granted 60 s") })
        #expect(d.fixSteps.first?.contains("below the granted 60 s") == true)
        #expect(d.limitations.contains { $0.contains("REGISTER #5 has no final response") })
    }

    @Test func privateSDPBehindNATIsOneWayAudio() throws {
        let d = try diagnose("one-way-audio.txt")
        #expect(d.verdict.family == "nat-one-way-audio")
        #expect(d.verdict.outcome == .degraded)
        #expect(d.participants.first?.name == "PHONE")
        #expect(d.evidence.contains { $0.text.contains("10.0.0.5") && $0.text.contains("behind NAT") })
        #expect(d.fixSteps.first?.contains("media anchoring") == true)
        #expect(d.fixSteps.contains { $0.contains("SIP ALG") })
        #expect(d.confidence.level == .high)
    }
}
