import Diagnosis
import Foundation
import Testing
import TraceFormats

/// Calls made by a real SIP stack (SIPp, as caller and callee on
/// 127.0.0.1), captured by dumpcap on lo and diagnosed: the traffic is
/// SIPp's, not written here, so these catch what hand-made traces cannot
/// (real retransmission timers, real digest, real RTP pacing). Each
/// scenario has its own ports, so they run side by side.
@Suite(.enabled(if: SIPpTools.found.unavailable == nil, Comment(rawValue: SIPpTools.found.unavailable ?? "")))
struct SIPpCallTests {
    /// A callee that refuses the INVITE, and what the diagnosis must say.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var callee: String
        var family: String
        var status: Int
        var testDescription: String { "\(status) from \(callee)" }
    }

    static let refusals = [
        Refusal(callee: "callee-busy.xml", family: "busy-or-declined", status: 486),
        Refusal(callee: "callee-forbidden.xml", family: "forbidden", status: 403),
        Refusal(callee: "callee-unknown-number.xml", family: "number-unknown", status: 404),
        Refusal(callee: "callee-codec-refused.xml", family: "codec-mismatch", status: 488),
        Refusal(callee: "callee-overloaded.xml", family: "service-unavailable", status: 503),
        // Rings, never picked up: the callee's ring timeout answers 408.
        Refusal(callee: "callee-rings-out.xml", family: "no-answer", status: 408),
    ]

    @Test("a refused INVITE is the first failure, explained by its rule", arguments: refusals)
    func refusedCall(_ refusal: Refusal) async throws {
        let name = String(refusal.callee.dropFirst("callee-".count).dropLast(".xml".count))
        let (_, trace, d) = try await diagnosed(SIPpScenario(name: name, caller: "caller-rejected.xml", callee: refusal.callee))
        #expect(d.verdict.family == refusal.family, "\(d.verdict.headline)")
        #expect(FailurePoint(d, in: trace) == FailurePoint(status: refusal.status, method: "INVITE"), "\(d.firstFailure?.summary ?? "no first failure")")
        #expect(d.state != .completed && d.state != .inCall)
    }

    @Test("a healthy call with RTP both ways: no failure, two-way media measured",
          .enabled(if: SIPpTools.found.mediaUnavailable == nil, Comment(rawValue: SIPpTools.found.mediaUnavailable ?? "")))
    func healthyCallWithMedia() async throws {
        let (call, trace, d) = try await diagnosed(SIPpScenario(name: "answered", caller: "caller-answered.xml", callee: "callee-answers.xml"))
        #expect(d.verdict.family == "healthy", "\(d.verdict.headline)")
        #expect(d.verdict.outcome == .healthy)
        #expect(d.firstFailure == nil)
        #expect(d.state == .completed)
        #expect(trace.messages.contains { $0.message.method == "BYE" })

        let streams = try #require(d.media?.streams, "no media measured for the call")
        let ports = call.ports
        let callerToCallee = streams.first { $0.source == "127.0.0.1:\(ports.callerMedia)" && $0.destination == "127.0.0.1:\(ports.calleeMedia)" }
        let calleeToCaller = streams.first { $0.source == "127.0.0.1:\(ports.calleeMedia)" && $0.destination == "127.0.0.1:\(ports.callerMedia)" }
        // Two seconds of 30 ms packets is about 66 each way; a loaded
        // machine may start the playback late, never skip half of it.
        for (direction, stream) in [("caller to callee", callerToCallee), ("callee to caller", calleeToCaller)] {
            let s = try #require(stream, "no RTP stream \(direction) among \(streams.map { "\($0.source) -> \($0.destination)" })")
            #expect(s.codec == "PCMA", "\(direction)")
            #expect(s.packets >= 30, "\(direction): \(s.packets) packets")
            #expect(s.lost == 0, "\(direction): \(s.lost) lost")
        }
        #expect(!d.otherFindings.contains { $0.family == "one-way-audio" })
    }

    @Test("a call the caller cancels while it rings is not a fault")
    func cancelledWhileRinging() async throws {
        let (_, trace, d) = try await diagnosed(SIPpScenario(name: "cancelled", caller: "caller-cancels.xml", callee: "callee-cancelled.xml"))
        // The 487 is excused by the CANCEL before it: no first failure.
        #expect(d.firstFailure == nil, "\(d.firstFailure?.summary ?? "")")
        #expect(d.state == .cancelled)
        #expect(d.verdict.outcome == .notAFault, "\(d.verdict.headline)")
        #expect(trace.messages.contains { $0.message.statusCode == 487 })
    }

    @Test("a digest challenge answered with the right credentials is no failure")
    func digestChallengeAnswered() async throws {
        let (_, trace, d) = try await diagnosed(digestCall("digest", password: "secret"))
        #expect(d.verdict.family == "healthy", "\(d.verdict.headline)")
        #expect(d.firstFailure == nil, "\(d.firstFailure?.summary ?? "")")
        #expect(d.state == .completed)
        // SIPp computed a real digest over the second INVITE.
        #expect(trace.messages.contains { $0.message.method == "INVITE" && $0.message.hasHeader("authorization") })
        #expect(trace.messages.contains { $0.message.statusCode == 401 })
    }

    @Test("a wrong password: the 401 is excused, the 403 to the INVITE with credentials is the first failure")
    func wrongPassword() async throws {
        let (_, trace, d) = try await diagnosed(digestCall("wrong-password", password: "not-the-secret"))
        #expect(d.verdict.family == "auth-failure", "\(d.verdict.headline)")
        #expect(FailurePoint(d, in: trace) == FailurePoint(status: 403, method: "INVITE"), "\(d.firstFailure?.summary ?? "no first failure")")
        let failed = try #require(d.firstFailure)
        let request = trace.messages.last { $0.index < failed.messageIndex && $0.message.method == "INVITE" }
        #expect(request?.message.hasHeader("authorization") == true, "the refused INVITE should carry credentials")
    }

    @Test("a next hop that never answers: the retransmitted INVITE is the first failure")
    func silentNextHop() async throws {
        // SIPp counts the call as failed (exit 1) when it stops waiting.
        let (_, trace, d) = try await diagnosed(SIPpScenario(
            name: "silent", caller: "caller-unanswered.xml", callee: nil, callerExit: 1))
        #expect(d.verdict.family == "no-answer", "\(d.verdict.headline)")
        #expect(FailurePoint(d, in: trace) == FailurePoint(status: nil, method: "INVITE"), "\(d.firstFailure?.summary ?? "no first failure")")
        // Timer A: sent at 0, 0.5 and 1.5 s before the caller gave up.
        let sends = trace.messages.filter { $0.message.method == "INVITE" }.count
        #expect(sends >= 3, "INVITE sent \(sends) times")
    }

    /// The digest pair: the callee accepts alice / secret, the caller
    /// answers its challenge with `password`.
    private func digestCall(_ name: String, password: String) -> SIPpScenario {
        SIPpScenario(name: name, caller: "caller-authenticates.xml", callee: "callee-challenges.xml",
                     callerArguments: ["-au", "alice", "-ap", password])
    }

    /// Runs the scenario, checks SIPp ran it as written, and returns the
    /// diagnosis of the one call of the capture.
    private func diagnosed(_ scenario: SIPpScenario) async throws -> (CapturedCall, Trace, Diagnosis) {
        let call = try await scenario.run()
        try #require(call.callerExit == scenario.callerExit,
                     "caller SIPp exited \(call.callerExit.map(String.init) ?? "killed at the deadline"), expected \(scenario.callerExit)\n\(call.sippOutput)")
        if scenario.callee != nil {
            try #require(call.calleeExit == 0, "callee SIPp exited \(call.calleeExit.map(String.init) ?? "killed at the deadline")\n\(call.sippOutput)")
        }
        let (trace, diagnosis) = try call.diagnosis.get()
        return (call, trace, diagnosis)
    }
}
