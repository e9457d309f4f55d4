import Annotation
import Diagnosis
import Foundation
import Testing
import TraceFormats

/// Diagnoses of the project's trace fixtures, and made-up ones sized to
/// test the post's limit.
enum Samples {
    static let traces = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/traces")

    /// The call of the trace's first Call-ID.
    static func diagnosis(_ relative: String) throws -> Diagnosis {
        let trace = try TraceLoader.load(path: traces.appendingPathComponent(relative).path)
        let diagnoser = Diagnoser()
        let first = try #require(diagnoser.callIDs(in: trace).first)
        return try diagnoser.diagnose(trace, callID: first)
    }

    static func finding(_ relative: String) throws -> CallFinding {
        let d = try diagnosis(relative)
        return CallFinding(callID: d.callID, outcome: .diagnosed(d, origin: "exports /srv/exports: \(relative)"))
    }

    /// A call with `rows` ladder rows (the first failure at `failureAt`)
    /// and `evidence` evidence lines, each naming a phone number.
    static func big(rows: Int, evidence: Int, failureAt: Int? = nil, callID: String = "big0001a2b3@10.0.0.1") -> CallFinding {
        let participants = [Participant(name: "PHONE", address: "10.0.0.1:5060", namedBy: .traceLabel),
                            Participant(name: "CORE", address: "10.0.0.2:5060", namedBy: .traceLabel)]
        let failure = failureAt ?? rows - 1
        let ladder = (0..<rows).map { k in
            LadderRow(messageIndex: k + 1, time: 7_987.0 + Double(k) * 0.01, from: k % 2, to: 1 - k % 2,
                      label: k == failure ? "503 Service Unavailable" : "OPTIONS", hasSDP: false, count: 1,
                      callID: callID, isFirstFailure: k == failure)
        }
        let d = Diagnosis(
            callID: callID,
            verdict: Verdict(family: "service-unavailable", headline: "Call failed: 503 from the core", outcome: .failed, responsibleSide: "our core"),
            firstFailure: FirstFailureRef(messageIndex: failure + 1, summary: "503 Service Unavailable", callID: callID,
                                          explanation: "The core answered 503 to the INVITE; nothing earlier failed."),
            state: .rejected, legs: [LegInfo(callID: callID, tiedBy: nil, messageCount: rows)], participants: participants,
            ladder: ladder,
            evidence: (0..<evidence).map { Evidence("evidence line \($0): the carrier refused +4930555\(String(format: "%05d", $0))", messages: [$0 + 1]) },
            fixSteps: ["Check the core's trunk to the carrier.", "Call the carrier's NOC with the Call-ID."],
            limitations: ["No RTP in a text trace."], confidence: Confidence(.high, "the 503 is the only failure"),
            warnings: ["line 12: folded header"])
        return CallFinding(callID: callID, outcome: .diagnosed(d, origin: "exports /srv/exports: big.txt"))
    }
}
