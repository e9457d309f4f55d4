import SIPCore
import TraceFormats

/// Options that change how calls are read: the address-to-name map.
public struct DiagnosisOptions: Sendable {
    public var peers: PeerMap
    public init(peers: PeerMap = PeerMap()) {
        self.peers = peers
    }
}

/// Why a diagnosis could not be made.
public enum DiagnoseError: Error, Sendable, Equatable, CustomStringConvertible {
    case callIDNotFound(String, available: [String])
    case noMessages

    public var description: String {
        switch self {
        case .callIDNotFound(let id, let available):
            let shown = available.prefix(20).map { "  \($0)" }.joined(separator: "\n")
            let more = available.count > 20 ? "\n  ... and \(available.count - 20) more" : ""
            return "Call-ID \(id) is not in the trace; it holds \(available.count) Call-ID(s):\n\(shown)\(more)"
        case .noMessages:
            return "the trace holds no SIP message to diagnose"
        }
    }
}

/// The entry point of the diagnosis core: pure, deterministic, no I/O.
public struct Diagnoser: Sendable {
    public var options: DiagnosisOptions

    public init(options: DiagnosisOptions = DiagnosisOptions()) {
        self.options = options
    }

    /// Distinct Call-IDs in order of first appearance.
    public func callIDs(in trace: Trace) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for m in trace.messages {
            if let id = m.message.callID, seen.insert(id).inserted { out.append(id) }
        }
        return out
    }

    /// The call that holds `callID`, with every leg tied to it.
    public func diagnose(_ trace: Trace, callID: String) throws(DiagnoseError) -> Diagnosis {
        let ids = callIDs(in: trace)
        guard !ids.isEmpty else { throw .noMessages }
        guard ids.contains(callID) else { throw .callIDNotFound(callID, available: ids) }
        fatalError("not yet implemented")
    }

    /// One diagnosis per call in the trace (legs tied together).
    public func diagnoseAll(_ trace: Trace) -> [Diagnosis] {
        []
    }
}
