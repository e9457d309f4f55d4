import Foundation
@testable import Diagnosis
import TraceFormats

/// Loads the fixtures under `Fixtures/traces/` (found from this file's
/// path, so the tests run from any directory) and diagnoses them.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/traces")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func trace(_ relative: String) throws -> Trace { try TraceLoader.load(path: path(relative)) }

    /// The diagnosis of the call that holds the trace's first Call-ID;
    /// `media` stands in for the RTP of a capture of the same call.
    static func diagnose(_ relative: String, peers: [String] = [], media: MediaCapture? = nil) throws -> Diagnosis {
        var trace = try trace(relative)
        trace.media = media
        return try diagnose(trace, peers: peers)
    }

    static func diagnose(_ trace: Trace, peers: [String] = []) throws -> Diagnosis {
        let diagnoser = Diagnoser(options: DiagnosisOptions(peers: try PeerMap(parsing: peers)))
        guard let first = diagnoser.callIDs(in: trace).first else { throw DiagnoseError.noMessages }
        return try diagnoser.diagnose(trace, callID: first)
    }

    /// Every rule's finding for the call of the trace's first Call-ID, so
    /// that a near miss can prove a rule did not fire as a problem.
    static func findings(_ relative: String, peers: [String] = [], media: MediaCapture? = nil) throws -> [Finding] {
        var trace = try trace(relative)
        trace.media = media
        return try findings(trace, peers: peers)
    }

    static func findings(_ trace: Trace, peers: [String] = []) throws -> [Finding] {
        let diagnoser = Diagnoser(options: DiagnosisOptions(peers: try PeerMap(parsing: peers)))
        guard let first = diagnoser.callIDs(in: trace).first,
              let call = diagnoser.calls(in: trace).first(where: { $0.callIDs.contains(first) }) else { return [] }
        let flow = CallFlow(call: call)
        let participants = Participants(flow: flow, peers: diagnoser.options.peers)
        let media = trace.media.map { CallMedia(flow: flow, participants: participants, index: MediaIndex($0)) }
        let context = CallContext(flow: flow, participants: participants, firstFailure: FirstFailureFinder().find(in: flow), media: media)
        return RuleBook.all.compactMap { $0.evaluate(context) }
    }

    /// True when `family`'s rule reports a problem (anything but a healthy observation).
    static func flagsProblem(_ family: String, in findings: [Finding]) -> Bool {
        findings.contains { $0.family == family && ($0.role != .observation || $0.outcome != .healthy) }
    }
}

extension Diagnosis {
    /// All evidence lines as one text, for substring checks.
    var evidenceText: String { evidence.map(\.text).joined(separator: "\n") }
}
