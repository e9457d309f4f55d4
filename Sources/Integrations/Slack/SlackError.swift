/// Why the Slack back-end could not do what the agent asked, each case
/// saying what to change or check. No case carries the bot token or the
/// signing secret.
public enum SlackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot make a request: `reason` says what to write.
    case badSettings(reason: String)
    /// No answer to use: the HTTP client's error, which says what to check.
    case noAnswer(method: String, detail: String)
    /// `invalid_auth`, `not_authed`, `token_revoked`, `account_inactive`…
    /// (or HTTP 401): the bot token is wrong or no longer valid.
    case badToken(method: String, error: String)
    /// `missing_scope`: the app lacks an OAuth scope.
    case missingScope(method: String, needed: String)
    /// `channel_not_found`, `not_in_channel`, `is_archived`…: the bot
    /// cannot post or read there.
    case channelRefused(method: String, error: String, channel: String)
    /// HTTP 429 (`ratelimited`) still after waiting: the agent backs off.
    case rateLimited(method: String, retryAfter: Duration?)
    /// A 5xx, or `fatal_error`/`internal_error`: Slack failed; try later.
    case serverError(method: String, status: Int, detail: String)
    /// `{"ok":false,"error":…}` of another kind.
    case rejected(method: String, error: String)
    /// An answer that is not the Web API's JSON.
    case unexpectedAnswer(method: String, detail: String)
    /// The response_url of a slash command refused the answer (it expires
    /// after 30 minutes and takes a few uses only).
    case responseURLRefused(status: Int, detail: String)
    /// A thread id this back-end did not make.
    case badThreadID(String)

    public var description: String {
        switch self {
        case .badSettings(let reason):
            return "Slack back-end: \(reason)"
        case .noAnswer(let method, let detail):
            return "asking Slack's \(method) failed: \(detail)"
        case .badToken(let method, let error):
            return "Slack refused the bot token on \(method) (\(error)); check the bot_token_env or bot_token_file the configuration points at: it must be the app's Bot User OAuth Token (xoxb-…), and the app still installed in the workspace"
        case .missingScope(let method, let needed):
            return "Slack refused \(method): the app lacks the OAuth scope \(needed.isEmpty ? "it needs" : needed); add it under OAuth & Permissions (chat:write, channels:history, groups:history, im:history) and reinstall the app"
        case .channelRefused(let method, let error, let channel):
            return "Slack refused \(method) in channel \(channel) (\(error)); invite the app to the channel (/invite @app) or check that the channel still exists and is not archived"
        case .rateLimited(let method, let retryAfter):
            let wait = retryAfter.map { " (it asks to wait \($0.components.seconds) s)" } ?? ""
            return "Slack rate-limits \(method)\(wait); the agent waits before calling \(method) again and retries the post later"
        case .serverError(let method, let status, let detail):
            return "Slack failed on \(method) (\(status)\(detail.isEmpty ? "" : ": \(detail)")); see https://status.slack.com, the agent tries again later"
        case .rejected(let method, let error):
            return "Slack refused \(method) (\(error)); see the method's error list at https://api.slack.com/methods/\(method)"
        case .unexpectedAnswer(let method, let detail):
            return "Slack answered \(method) with \(detail), not the Web API's JSON; check api_url (https://slack.com/api) and any proxy in between"
        case .responseURLRefused(let status, let detail):
            return "the slash command's response_url refused the answer (\(status)\(detail.isEmpty ? "" : ": \(detail)")): it is valid for 30 minutes and a few answers only; run /sip again"
        case .badThreadID(let id):
            return "'\(id)' is not a Slack thread id of this agent ('CHANNEL TS' or 'command CHANNEL TRIGGER_ID'); it was not made by the Slack back-end"
        }
    }
}
