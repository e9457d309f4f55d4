import Integrations

/// A call found by its Call-ID alone: each source asked in turn, the first
/// that holds the call wins. A source that fails is reported and the next
/// one asked: an unreachable Homer must not hide a call the exports hold.
struct CallLookup {
    var sources: [any CallTraceSource]

    enum Outcome {
        case found(FoundTrace, source: String)
        /// No source holds the call; `failures` are the sources that
        /// could not be asked, each with why.
        case notFound(asked: [String], failures: [String])
    }

    func find(_ callID: String) async -> Outcome {
        var failures: [String] = []
        for source in sources {
            do {
                if let found = try await source.findTrace(callID: callID) { return .found(found, source: source.name) }
            } catch {
                failures.append("\(source.name): \(error)")
            }
        }
        return .notFound(asked: sources.map(\.name), failures: failures)
    }
}
