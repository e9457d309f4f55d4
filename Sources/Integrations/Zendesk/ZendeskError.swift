/// Why Zendesk could not be polled or answered, each case saying what to
/// change or check. No case carries the API token.
public enum ZendeskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot make a request: `reason` says what to write.
    case badSettings(reason: String)
    /// No answer to use: the HTTP client's error (connection refused,
    /// timed out, a reset on a request it may not repeat).
    case noAnswer(server: String, detail: String)
    /// 401: the e-mail address or the API token is wrong, or token access is off.
    case credentialsRefused(server: String, email: String, message: String)
    /// 403: the agent's user may not do this; `needs` says what it needs.
    case forbidden(server: String, email: String, path: String, needs: String, message: String)
    /// 404 on a ticket: deleted, merged away, or never there.
    case ticketNotFound(server: String, ticket: String)
    /// 422 on adding the comment: a closed ticket, or one at 5,000 comments.
    case commentRefused(server: String, ticket: String, message: String)
    /// Still 429 after the HTTP client's retries (or a Retry-After longer
    /// than it waits): the agent's next attempt comes later.
    case rateLimited(server: String, path: String, retryAfter: String?)
    /// The export refused the stored cursor (400/422 on `cursor=`).
    case badCursor(server: String, cursor: String, message: String)
    /// A 5xx: Zendesk failed.
    case serverError(server: String, path: String, status: Int, message: String)
    /// Another status than the API answers with on success.
    case rejected(server: String, path: String, status: Int, message: String)
    /// A success whose body is not the API's JSON: something else answers
    /// at that address (a proxy's page, the help center, another service).
    case unexpectedAnswer(server: String, path: String, detail: String)

    public var description: String {
        switch self {
        case .badSettings(let reason):
            return "Zendesk back-end: \(reason)"
        case .noAnswer(let server, let detail):
            return "asking Zendesk at \(server) failed: \(detail)"
        case .credentialsRefused(let server, let email, let message):
            return "Zendesk at \(server) refused the API token for '\(email)' (401\(Self.said(message))); check that email is the agent's sign-in address, that the token the configuration points at (token_env or token_file) is an active API token (Admin Center ▸ Apps and integrations ▸ Zendesk API), and that token access is enabled there"
        case .forbidden(let server, let email, let path, let needs, let message):
            return "Zendesk at \(server) refused \(path) to '\(email)' (403\(Self.said(message))); \(needs)"
        case .ticketNotFound(let server, let ticket):
            return "Zendesk at \(server) has no ticket \(ticket) (404): it was deleted or merged into another; nothing will be posted there"
        case .commentRefused(let server, let ticket, let message):
            return "Zendesk at \(server) would not add a comment to ticket \(ticket) (422\(Self.said(message))); a closed ticket takes no comments (answer in its follow-up ticket) and a ticket holds at most 5,000 comments"
        case .rateLimited(let server, let path, let retryAfter):
            return "Zendesk at \(server) kept answering 429 Too Many Requests to \(path)\(retryAfter.map { " (Retry-After: \($0) s)" } ?? ""); the agent tries again later; if it lasts, poll less often (poll_interval) or ask Zendesk for a higher API rate limit"
        case .badCursor(let server, let cursor, let message):
            return "Zendesk at \(server) refused the stored export cursor '\(cursor.prefix(40))…'\(Self.said(message)); remove the back-end's cursor from the store to start again from the configured look-back"
        case .serverError(let server, let path, let status, let message):
            return "Zendesk at \(server) failed on \(path) (\(status)\(Self.said(message))); see status.zendesk.com, the agent tries again later"
        case .rejected(let server, let path, let status, let message):
            return "Zendesk at \(server) answered \(status) to \(path)\(Self.said(message)); check that url is the account's address (https://SUBDOMAIN.zendesk.com)"
        case .unexpectedAnswer(let server, let path, let detail):
            return "Zendesk at \(server) answered \(path) with \(detail), not the Support API's JSON; check that url is the account's address (https://SUBDOMAIN.zendesk.com), not a help center page or a proxy"
        }
    }

    private static func said(_ message: String) -> String { message.isEmpty ? "" : ": \(message)" }
}
