import SIPCore
import TraceFormats

/// One call: every leg tied together, and its messages merged in time order.
public struct Call: Sendable {
    public var legs: [Leg]
    /// All messages of all legs, in time order (trace order when the trace
    /// has no times), retransmissions included.
    public var messages: [CapturedMessage]
    /// The platform's own log lines tied to this call (`PlatformLogTie`),
    /// in reading order.
    public var platformLog: [TiedLogLine] = []

    public init(legs: [Leg]) {
        self.legs = legs
        let all = legs.flatMap(\.messages)
        let timed = all.allSatisfy { $0.timestamp != nil }
        messages = all.sorted { a, b in
            if timed, let ta = a.timestamp, let tb = b.timestamp, ta != tb { return ta < tb }
            return a.index < b.index
        }
    }

    public var primaryCallID: String { legs.first?.callID ?? "" }

    public var callIDs: [String] { legs.map(\.callID) }

    /// True when every message in the call carries a time.
    public var hasTimestamps: Bool { !messages.isEmpty && messages.allSatisfy { $0.timestamp != nil } }
}
