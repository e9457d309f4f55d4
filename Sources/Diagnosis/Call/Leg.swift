import SIPCore
import TraceFormats

/// The messages of one Call-ID, in trace order.
public struct Leg: Sendable {
    public var callID: String
    public var messages: [CapturedMessage]
    /// How this leg was tied to the call's first leg; nil for the first.
    public var tiedBy: LegTie?

    public init(callID: String, messages: [CapturedMessage], tiedBy: LegTie? = nil) {
        self.callID = callID
        self.messages = messages
        self.tiedBy = tiedBy
    }

    /// The first INVITE or REGISTER, or the first request of the leg.
    public var initialRequest: CapturedMessage? {
        messages.first { $0.message.method == "INVITE" } ?? messages.first { $0.message.isRequest }
    }

    var firstTime: Double? { messages.lazy.compactMap(\.timestamp).first }
}

/// The rules of domain brief section 1 that tie two Call-IDs into one call.
public enum LegTie: Sendable, Equatable, CustomStringConvertible {
    case sameLocalPart(String)
    case correlationHeader(name: String, value: String)
    case sameNumbers(from: String, to: String, seconds: Double)

    public var description: String {
        switch self {
        case .sameLocalPart(let p): return "same local part before @ (\(p))"
        case .correlationHeader(let n, let v): return "\(n) header (\(v))"
        case .sameNumbers(let f, let t, let s):
            return "same From/To numbers (\(f) -> \(t)) within \(Figure.text(s)) s"
        }
    }
}
