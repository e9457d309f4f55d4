/// Why Request Tracker could not be polled or answered, each case saying
/// what to change or check. No case carries the token.
public enum RequestTrackerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot make a request: `reason` says what to write.
    case badSettings(reason: String)
    /// No answer to use: the HTTP client's error (connection refused,
    /// timed out, still 429/500 after its retries), which says what to check.
    case noAnswer(server: String, detail: String)
    /// 401: the token is wrong, revoked, or its user is disabled.
    case tokenRefused(server: String, user: String, message: String)
    /// 403: the user lacks a right for `path`; `rights` names the ones it needs.
    case forbidden(server: String, user: String, path: String, rights: String, message: String)
    /// The ticket does not exist (or the user may not see that it does).
    case ticketNotFound(server: String, ticket: String)
    /// The configured user name is no user of this RT.
    case unknownUser(server: String, user: String)
    /// RT refused the TicketSQL (400): the configured queue or extra query.
    case badQuery(server: String, query: String, message: String)
    /// A 5xx: RT (or its database) failed.
    case serverError(server: String, path: String, status: Int, message: String)
    /// Another status than REST2 answers with on success.
    case rejected(server: String, path: String, status: Int, message: String)
    /// A success whose body is not REST2's JSON: something else answers
    /// at that address (a proxy's page, RT's login page, another service).
    case unexpectedAnswer(server: String, path: String, detail: String)
    /// The stored cursor is not one this back-end wrote.
    case badCursor(cursor: String)

    public var description: String {
        switch self {
        case .badSettings(let reason):
            return "Request Tracker back-end: \(reason)"
        case .noAnswer(let server, let detail):
            return "asking Request Tracker at \(server) failed: \(detail)"
        case .tokenRefused(let server, let user, let message):
            return "RT at \(server) refused the token for user '\(user)' (401\(Self.said(message))); check that the token the configuration points at (token_env or token_file) is a current auth token of that user (RT: Logged in as ▸ Settings ▸ Auth Tokens) and that the user is enabled"
        case .forbidden(let server, let user, let path, let rights, let message):
            return "RT at \(server) refused \(path) to user '\(user)' (403\(Self.said(message))); grant that user \(rights) (RT: Admin ▸ Global or the queue ▸ User Rights)"
        case .ticketNotFound(let server, let ticket):
            return "RT at \(server) has no ticket \(ticket) that the agent's user may see; check the ticket number, and that the user has ShowTicket on its queue"
        case .unknownUser(let server, let user):
            return "RT at \(server) has no user '\(user)'; set agent_user to the RT user name the token belongs to"
        case .badQuery(let server, let query, let message):
            return "RT at \(server) refused the ticket search \(query) (400\(Self.said(message))); check the queue name and the extra TicketSQL in the configuration"
        case .serverError(let server, let path, let status, let message):
            return "RT at \(server) failed on \(path) (\(status)\(Self.said(message))); RT or its database is in trouble: see RT's log, then try again"
        case .rejected(let server, let path, let status, let message):
            return "RT at \(server) answered \(status) to \(path)\(message.isEmpty ? "" : ": \(message)"); check that the address is RT 5's web address with its web path (e.g. http://rt.example/rt) and that the user holds the rights it needs"
        case .unexpectedAnswer(let server, let path, let detail):
            return "RT at \(server) answered \(path) with \(detail), not REST2's JSON; check that the address is RT 5 with its web path (Debian serves RT under /rt), not a proxy's page or another service"
        case .badCursor(let cursor):
            return "the stored Request Tracker cursor '\(cursor.prefix(80))' is not a time this back-end wrote; remove it from the store to start again from the configured look-back"
        }
    }

    private static func said(_ message: String) -> String { message.isEmpty ? "" : ": \(message)" }
}
