/// Why an HTTP trace service could not be asked for a call, each case
/// saying what to change or check. No case carries a header's value.
public enum HTTPTraceError: Error, Sendable, Equatable, CustomStringConvertible {
    case badSettings(reason: String)
    /// No answer to use: the client's error (connection refused, timed
    /// out, TLS refused, over the size cap), which says what to check.
    case noAnswer(url: String, detail: String)
    /// 401 or 403: the credentials are missing, wrong or not enough.
    case refused(url: String, status: Int)
    /// A 5xx: the service failed.
    case serverError(url: String, status: Int, detail: String)
    /// Another status than 200 or 404.
    case rejected(url: String, status: Int, detail: String)
    /// The body is no trace agentctl reads (not pcap, pcapng, a text format
    /// or Homer JSON), or not one of this call.
    case unreadable(url: String, detail: String)

    public var description: String {
        switch self {
        case .badSettings(let reason):
            return "HTTP trace source: \(reason)"
        case .noAnswer(let url, let detail):
            return "asking \(url) failed: \(detail)"
        case .refused(let url, let status):
            return "\(url) refused the request (\(status)); check the source's auth: the token or password the configuration points at (token_env, token_file, password_env) and its rights"
        case .serverError(let url, let status, let detail):
            return "\(url) failed (\(status)\(detail.isEmpty ? "" : ": \(detail)")); the service is in trouble: try again later or ask its owners"
        case .rejected(let url, let status, let detail):
            return "\(url) answered \(status)\(detail.isEmpty ? "" : ": \(detail)"); only 200 (the trace) and 404 (no such call) are understood: check the source's url template"
        case .unreadable(let url, let detail):
            return "the body of \(url) is not a trace of the call: \(detail)"
        }
    }
}
