/// Why a trace could not be read, in words that say what to do next.
public enum TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty(path: String)
    case binary(path: String, detail: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case unrecognised(path: String)
    case noMessages(format: TraceFormat, detail: String)
    case unreadable(path: String, reason: String)
    /// A capture that could not be read; the text names the file and the format.
    case capture(String)

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
        case .capture(let text):
            return text
        }
    }
}
