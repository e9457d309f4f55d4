/// A Mattermost outgoing webhook, answered in the thread of the post that
/// triggered it; optionally the REST API for replies the webhook's answer
/// could not carry (late, or after a restart). See docs/mattermost.md.
public struct MattermostSettings: Sendable, Equatable {
    public var name: String
    /// The listener path the hook's callback URL points at; nil: `/mattermost/NAME`.
    public var path: String?
    /// The hook's token (on its page in Mattermost).
    public var token: Secret
    /// The server's address, for the REST API.
    public var url: String?
    /// A bot account's access token or a personal access token.
    public var apiToken: Secret?
    /// How long a webhook request is held open for its reply.
    public var answerWithin: Duration
    public var maxCharacters: Int

    public static let defaultAnswerWithin = Duration.seconds(8)
    public static let defaultMaxCharacters = 16_000

    public init(name: String, path: String? = nil, token: Secret = .environment("_"), url: String? = nil, apiToken: Secret? = nil,
                answerWithin: Duration = defaultAnswerWithin, maxCharacters: Int = defaultMaxCharacters) {
        self.name = name
        self.path = path
        self.token = token
        self.url = url
        self.apiToken = apiToken
        self.answerWithin = answerWithin
        self.maxCharacters = maxCharacters
    }
}
