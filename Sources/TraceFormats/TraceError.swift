/// Why a trace could not be read, in words that say what to do next.
public enum TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty(path: String)
    case binary(path: String, detail: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case unrecognised(path: String)
    case noMessages(format: TraceFormat, detail: String)
    case unreadable(path: String, reason: String)
    /// A capture that could not be read: the capture reader's own error,
    /// which names the file, the format and what to do.
    case capture(CaptureError)
    /// A capture over the caller's size limit (`TraceLimits.maxCaptureBytes`).
    case captureTooLarge(path: String, bytes: Int, limit: Int)
    /// The task reading the trace was cancelled; nothing was kept.
    case cancelled(path: String)

    public var description: String {
        switch self {
        case .empty(let p):
            return "\(p) is empty: export the trace again, or paste the SIP messages into the file"
        case .binary(let p, let d):
            return "\(p) is binary data, not a text trace (\(d)); pass a text export or a pcap/pcapng capture"
        case .tooLarge(let p, let n, let limit):
            return "\(p) is \(n) bytes, over the \(limit)-byte limit for text traces; cut the trace to the calls you need (grep the Call-ID) and try again"
        case .unrecognised(let p):
            return "\(p) holds no SIP message in any known format; use --input-format to force one (portal, raw, ngrep, sngrep, pjsip, freeswitch, homer-json)"
        case .noMessages(let f, let d):
            return "read as \(f.displayName) but found no SIP message: \(d)"
        case .unreadable(let p, let r):
            return "cannot read \(p): \(r)"
        case .capture(let error):
            return error.description
        case .captureTooLarge(let p, let n, let limit):
            return "\(p) is a capture of \(n) bytes or more, over the \(limit)-byte limit set for this reader; cut it to the call you need (agentctl extract --call-id ID) or raise the limit"
        case .cancelled(let p):
            return "reading \(p) was cancelled before it finished; nothing was diagnosed"
        }
    }
}
