/// Why bytes could not be read as a SIP message.
public enum SIPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// The first line is neither `METHOD uri SIP/2.0` nor `SIP/2.0 code reason`.
    case notSIP(firstLine: String)
    case tooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .empty: return "no SIP message: the input is empty"
        case .notSIP(let line): return "not a SIP start line: \"\(line.prefix(80))\" (expected \"INVITE sip:... SIP/2.0\" or \"SIP/2.0 200 OK\")"
        case .tooLarge(let n, let limit): return "SIP message of \(n) bytes exceeds the \(limit)-byte limit"
        }
    }
}
