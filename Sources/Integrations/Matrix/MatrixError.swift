/// Why the Matrix back-end could not do what the agent asked, each case
/// saying what to change or check. No case carries the password or the
/// access token.
public enum MatrixError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot make a request: `reason` says what to write.
    case badSettings(reason: String)
    /// No answer to use: the HTTP client's error (connection refused,
    /// timed out…), which says what to check.
    case noAnswer(server: String, detail: String)
    /// The login was refused (403 `M_FORBIDDEN`, or 401/400 on some
    /// servers): wrong user or password, or a deactivated account.
    case badCredentials(server: String, user: String, message: String)
    /// A token from a fresh login was refused at once (401 again).
    case tokenRefused(server: String, path: String, message: String)
    /// 429 `M_LIMIT_EXCEEDED` still, after the client's own retries; the
    /// agent's back-off should wait at least `retryAfter`.
    case rateLimited(server: String, path: String, retryAfter: Duration?)
    /// 403 on something else than the login: not in the room, no right to
    /// post there, the invite withdrawn.
    case forbidden(server: String, path: String, errcode: String, message: String)
    /// 413 `M_TOO_LARGE`: the event is over the server's size limit.
    case tooLarge(server: String, path: String, message: String)
    /// A 5xx: the homeserver (or its database) failed.
    case serverError(server: String, path: String, status: Int, message: String)
    /// Another status than the API answers with on success.
    case rejected(server: String, path: String, status: Int, errcode: String, message: String)
    /// A success whose body is not what the client-server API sends:
    /// something else answers at that address.
    case unexpectedAnswer(server: String, path: String, detail: String)
    /// A thread id this back-end did not make ("!room:server $event").
    case badThreadID(String)

    public var description: String {
        switch self {
        case .badSettings(let reason):
            return "Matrix back-end: \(reason)"
        case .noAnswer(let server, let detail):
            return "asking the Matrix homeserver at \(server) failed: \(detail)"
        case .badCredentials(let server, let user, let message):
            return "the Matrix homeserver at \(server) refused the login of '\(user)'\(Self.words(message)); check the user and the password the configuration points at (password_env or password_file), and that the account exists and is not deactivated"
        case .tokenRefused(let server, let path, let message):
            return "the Matrix homeserver at \(server) refused the access token it had just issued on \(path)\(Self.words(message)); check that one homeserver answers at this address and that the account is not being logged out by an admin"
        case .rateLimited(let server, let path, let retryAfter):
            let wait = retryAfter.map { " (it asks to wait \($0.components.seconds) s)" } ?? ""
            return "the Matrix homeserver at \(server) rate-limits \(path)\(wait); the agent backs off and tries again. If this repeats, raise the account's limits (Synapse: rc_message, or the admin API's override_ratelimit for the agent user)"
        case .forbidden(let server, let path, let errcode, let message):
            return "the Matrix homeserver at \(server) forbids \(path) (\(errcode)\(message.isEmpty ? "" : ": \(message)")); check that the agent's account is in the room and may post there (invite it, or raise its power level)"
        case .tooLarge(let server, let path, let message):
            return "the Matrix homeserver at \(server) refused the post on \(path) as too large\(Self.words(message)); lower the back-end's max_characters"
        case .serverError(let server, let path, let status, let message):
            return "the Matrix homeserver at \(server) failed on \(path) (\(status)\(message.isEmpty ? "" : ": \(message)")); check the homeserver's log, then try again"
        case .rejected(let server, let path, let status, let errcode, let message):
            let what = [errcode, message].filter { !$0.isEmpty }.joined(separator: ": ")
            return "the Matrix homeserver at \(server) answered \(status) to \(path)\(what.isEmpty ? "" : " (\(what))"); check that the address is the homeserver's client-server API (the URL without /_matrix)"
        case .unexpectedAnswer(let server, let path, let detail):
            return "the Matrix homeserver at \(server) answered \(path) with \(detail), not the client-server API's JSON; check that the address is the homeserver itself, not a proxy's page or another service"
        case .badThreadID(let id):
            return "'\(id)' is not a Matrix thread id of this agent (a room id and an event id, '!room:server $event'); it was not made by the Matrix back-end"
        }
    }

    private static func words(_ message: String) -> String {
        message.isEmpty ? "" : " (\(message))"
    }
}
