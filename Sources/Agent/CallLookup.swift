import Integrations

/// A call found by its Call-ID alone: each source asked in turn, the first
/// that holds the call wins. A source that fails is reported and the next
/// one asked: an unreachable Homer must not hide a call the exports hold.
public struct CallLookup: Sendable {
    public var sources: [any CallTraceSource]

    public init(sources: [any CallTraceSource]) {
        self.sources = sources
    }

    public enum Outcome: Sendable {
        case found(FoundTrace, source: String)
        /// No source holds the call; `failures` are the sources that
        /// could not be asked, each with why.
        case notFound(asked: [String], failures: [String])
    }

    public func find(_ callID: String) async -> Outcome {
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
