/// Why the Mattermost back-end could not do what the agent asked, each
/// case saying what to change or check. No case carries the webhook
/// token or the API token.
public enum MattermostError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot make a back-end: `reason` says what to write.
    case badSettings(reason: String)
    /// The reply was not ready within the webhook's answer budget (or the
    /// agent restarted since), and no API token is configured to post it
    /// through the REST API.
    case noWayToPost(postID: String)
    /// The reply was handed to the webhook's answer, but that answer was
    /// not written out (Mattermost dropped the request): it may not exist.
    case webhookAnswerNotWritten(postID: String)
    /// No answer to use: the HTTP client's error (connection refused,
    /// timed out…), which says what to check.
    case noAnswer(server: String, detail: String)
    /// 401: the API token is wrong, revoked or expired.
    case unauthorized(server: String, path: String, message: String)
    /// 403: the token's user may not read or post there.
    case forbidden(server: String, path: String, message: String)
    /// 404: the post (or its channel) is gone, or not visible to the token's user.
    case notFound(server: String, path: String, message: String)
    /// 429 still, after the HTTP client's own retries.
    case rateLimited(server: String, path: String, retryAfter: Duration?)
    /// A 5xx: the Mattermost server (or its database) failed.
    case serverError(server: String, path: String, status: Int, message: String)
    /// Another status than the API answers with on success (a 400 with its
    /// error id, say).
    case rejected(server: String, path: String, status: Int, id: String, message: String)
    /// A success whose body is not what the API sends.
    case unexpectedAnswer(server: String, path: String, detail: String)
    /// A thread id this back-end did not make ("CHANNEL_ID POST_ID").
    case badThreadID(String)

    public var description: String {
        switch self {
        case .badSettings(let reason):
            return "Mattermost back-end: \(reason)"
        case .noWayToPost(let postID):
            return "the answer to Mattermost post \(postID) was not ready within the webhook's answer_within, and this back-end has no API token to post it later; set api_token_env (a bot or personal access token) and url, or raise answer_within (below the server's OutgoingIntegrationRequestsTimeout)"
        case .webhookAnswerNotWritten(let postID):
            return "the reply to Mattermost post \(postID) went into the webhook's answer, but the answer could not be sent (Mattermost dropped the request, or its timeout passed); the next attempt looks for the reply and posts it through the REST API if it is not there (without an API token it cannot: set api_token_env and url)"
        case .noAnswer(let server, let detail):
            return "asking the Mattermost server at \(server) failed: \(detail)"
        case .unauthorized(let server, let path, let message):
            return "the Mattermost server at \(server) refused the API token on \(path)\(Self.words(message)); check the token api_token_env or api_token_file points at (a bot account's access token, or a personal access token), and that it was not revoked"
        case .forbidden(let server, let path, let message):
            return "the Mattermost server at \(server) forbids \(path)\(Self.words(message)); add the agent's bot or user to the channel (and to its team), and give it the post:all or post:channels permission"
        case .notFound(let server, let path, let message):
            return "the Mattermost server at \(server) does not know \(path)\(Self.words(message)); the post or its channel was deleted, or the agent's user cannot see it (add it to the channel)"
        case .rateLimited(let server, let path, let retryAfter):
            let wait = retryAfter.map { " (it asks to wait \($0.components.seconds) s)" } ?? ""
            return "the Mattermost server at \(server) rate-limits \(path)\(wait); the agent backs off and tries again. If this repeats, raise RateLimitSettings.PerSec/MaxBurst for the agent's token"
        case .serverError(let server, let path, let status, let message):
            return "the Mattermost server at \(server) failed on \(path) (\(status)\(message.isEmpty ? "" : ": \(message)")); check the server's log, then try again"
        case .rejected(let server, let path, let status, let id, let message):
            let what = [id, message].filter { !$0.isEmpty }.joined(separator: ": ")
            return "the Mattermost server at \(server) answered \(status) to \(path)\(what.isEmpty ? "" : " (\(what))"); check that url is the server's address (without /api/v4)"
        case .unexpectedAnswer(let server, let path, let detail):
            return "the Mattermost server at \(server) answered \(path) with \(detail), not the REST API's JSON; check that url is the Mattermost server itself, not a proxy's page"
        case .badThreadID(let id):
            return "'\(id)' is not a Mattermost thread id of this agent (a channel id and a post id, 'CHANNEL POST'); it was not made by the Mattermost back-end"
        }
    }

    private static func words(_ message: String) -> String {
        message.isEmpty ? "" : " (\(message))"
    }
}
