/// Why a Homer server could not be asked for a call, each case saying
/// what to change or check. No case carries the password or the token.
public enum HomerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot make a request: `reason` says what to write.
    case badSettings(reason: String)
    /// No answer to use: the client's error (connection refused, timed
    /// out, TLS refused, over the size cap), which says what to check.
    case noAnswer(server: String, detail: String)
    /// `POST /api/v3/auth` answered 401: wrong user or password, or a
    /// disabled user.
    case badCredentials(server: String, username: String, message: String)
    /// A fresh login's token was refused at once (401 again).
    case tokenRefused(server: String, path: String, message: String)
    /// Configured nodes that are no database node of this Homer: homer-app
    /// searched nothing there.
    case unknownNodes(server: String, nodes: [String], known: [String])
    /// A 5xx: homer-app (or its database) failed.
    case serverError(server: String, path: String, status: Int, message: String)
    /// Another status than the API answers with on success.
    case rejected(server: String, path: String, status: Int, message: String)
    /// A success whose body is not what homer-app sends: something else
    /// answers at that address (a proxy's page, another application).
    case unexpectedAnswer(server: String, path: String, detail: String)
    /// The search found the call but the pcap export is no pcap.
    case notAPcap(server: String, detail: String)
    /// The exported pcap could not be read as a trace of the call.
    case unreadableExport(server: String, callID: String, detail: String)

    public var description: String {
        switch self {
        case .badSettings(let reason):
            return "Homer source: \(reason)"
        case .noAnswer(let server, let detail):
            return "asking Homer at \(server) failed: \(detail) (homer-app listens on port 9080 unless its http_settings.port says otherwise)"
        case .badCredentials(let server, let username, let message):
            return "Homer at \(server) refused the login of user '\(username)' (401\(message.isEmpty ? "" : ": \(message)")); check the username and the password the configuration points at (password_env or password_file), and that the user is enabled in Homer"
        case .tokenRefused(let server, let path, let message):
            return "Homer at \(server) refused the token it had just issued on \(path) (401\(message.isEmpty ? "" : ": \(message)")); check that one homer-app answers at this address (several behind a balancer must share auth_settings.jwt_secret)"
        case .unknownNodes(let server, let nodes, let known):
            let list = known.isEmpty ? "none listed" : known.joined(separator: ", ")
            return "Homer at \(server) has no database node \(nodes.map { "'\($0)'" }.joined(separator: ", ")), so it searched nothing there; set the source's nodes to ids from GET /api/v3/database/node/list (this server has: \(list))"
        case .serverError(let server, let path, let status, let message):
            return "Homer at \(server) failed on \(path) (\(status)\(message.isEmpty ? "" : ": \(message)")); homer-app or its database is in trouble: check homer-app's log and that its PostgreSQL is up, then try again"
        case .rejected(let server, let path, let status, let message):
            return "Homer at \(server) answered \(status) to \(path)\(message.isEmpty ? "" : ": \(message)"); check that the address is homer-app 7 (with its api_prefix, if set) and that the user may search calls"
        case .unexpectedAnswer(let server, let path, let detail):
            return "Homer at \(server) answered \(path) with \(detail), not homer-app's JSON; check that the address is homer-app 7 itself (with its api_prefix, if set), not a proxy's login page or another service"
        case .notAPcap(let server, let detail):
            return "Homer at \(server) answered the pcap export with \(detail), not a pcap; check that the address is homer-app 7 itself, or export the call from Homer's UI and diagnose the file"
        case .unreadableExport(let server, let callID, let detail):
            return "the pcap Homer at \(server) exported for Call-ID \(callID) could not be read as that call: \(detail)"
        }
    }
}
