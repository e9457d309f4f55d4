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
        /// A source holds the call but its trace cannot be read (a capture
        /// API answering bytes that are no trace, an indexed file cut or
        /// replaced): a finding of its own, not a reason to ask again.
        case unreadable(source: String, reason: String)
    }

    /// Errors that say the trace exists but cannot be read, as opposed to
    /// a source that could not be asked.
    static func isUnreadableTrace(_ error: Error) -> Bool {
        switch error {
        case ExportError.file, ExportError.changed: return true
        case HTTPTraceError.unreadable: return true
        default: return false
        }
    }

    public func find(_ callID: String) async -> Outcome {
        var failures: [String] = []
        var unreadable: (source: String, reason: String)?
        for source in sources {
            do {
                if let found = try await source.findTrace(callID: callID) { return .found(found, source: source.name) }
            } catch {
                if Self.isUnreadableTrace(error), unreadable == nil {
                    unreadable = (source.name, "\(error)")
                } else {
                    failures.append("\(source.name): \(error)")
                }
            }
        }
        if let unreadable { return .unreadable(source: unreadable.source, reason: unreadable.reason) }
        return .notFound(asked: sources.map(\.name), failures: failures)
    }
}
