import Annotation
import Diagnosis
import Integrations
import Store

/// The Call-IDs of one item looked up in the trace sources and diagnosed
/// (through the cache): the findings an annotation is rendered from, and
/// their records for replay. A marked Call-ID no source holds is "no trace
/// found"; an unmarked one is dropped quietly; a trace that is found but
/// cannot be read is said so, never met with silence.
struct FindingsMaker: Sendable {
    var lookup: CallLookup
    var diagnoser: CachedDiagnoser
    var metrics: AgentMetrics?

    struct Made: Sendable {
        var findings: [CallFinding] = []
        var records: [FindingRecord] = []
        /// Call-IDs no source could be asked about (all down): worth
        /// another attempt before saying so.
        var unanswered: [(callID: String, failures: [String])] = []
        var dropped: [String] = []
        var cacheProblems: [String] = []
    }

    func make(callIDs: [String], marked: Set<String>) async -> Made {
        var made = Made()
        for callID in callIDs {
            switch await lookup.find(callID) {
            case .found(let found, let source):
                metrics?.traceLookup(found: true)
                let origin = "\(source): \(found.origin)"
                guard !found.trace.messages.isEmpty else {
                    let reason = "it holds no SIP message of the call" + (found.trace.warnings.first.map { " (\($0))" } ?? "")
                    made.findings.append(CallFinding(callID: callID, outcome: .unreadable(origin: origin, reason: reason)))
                    made.records.append(FindingRecord(callID: callID, kind: .unreadable, origin: origin, reason: reason))
                    continue
                }
                do {
                    let result = try diagnoser.diagnose(found, callID: callID)
                    metrics?.diagnosed(family: result.diagnosis.verdict.family)
                    if let p = result.cacheProblem { made.cacheProblems.append(p) }
                    made.findings.append(CallFinding(callID: callID, outcome: .diagnosed(result.diagnosis, origin: origin)))
                    made.records.append(FindingRecord(callID: callID, kind: .diagnosed, cacheCallIDs: result.key.callIDs,
                                                      digest: result.key.traceDigest, origin: origin))
                } catch {
                    made.findings.append(CallFinding(callID: callID, outcome: .unreadable(origin: origin, reason: error.description)))
                    made.records.append(FindingRecord(callID: callID, kind: .unreadable, origin: origin, reason: error.description))
                }
            case .unreadable(let source, let reason):
                metrics?.traceLookup(found: true)
                made.findings.append(CallFinding(callID: callID, outcome: .unreadable(origin: source, reason: reason)))
                made.records.append(FindingRecord(callID: callID, kind: .unreadable, origin: source, reason: reason))
            case .notFound(let asked, let failures):
                metrics?.traceLookup(found: false)
                if !failures.isEmpty {
                    made.unanswered.append((callID, failures))
                } else if marked.contains(callID) {
                    made.findings.append(CallFinding(callID: callID, outcome: .noTrace(asked: asked)))
                    made.records.append(FindingRecord(callID: callID, kind: .noTrace, details: asked))
                } else {
                    made.dropped.append(callID)
                }
            }
        }
        return made
    }

    /// After the last attempt: the unanswered marked Call-IDs become
    /// "sources failed" findings (unmarked ones are dropped).
    static func giveUp(_ made: inout Made, marked: Set<String>) {
        for (callID, failures) in made.unanswered {
            if marked.contains(callID) {
                made.findings.append(CallFinding(callID: callID, outcome: .sourcesFailed(failures)))
                made.records.append(FindingRecord(callID: callID, kind: .sourcesFailed, details: failures))
            } else {
                made.dropped.append(callID)
            }
        }
        made.unanswered = []
    }
}
