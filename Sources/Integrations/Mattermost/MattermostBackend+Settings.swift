extension MattermostBackend {
    /// One Mattermost outgoing webhook the agent answers, and optionally
    /// the REST API it posts through when the webhook's answer could not
    /// carry the reply: what the configuration's `mattermost:` entry
    /// turns into once its secrets are resolved. See docs/mattermost.md.
    public struct Settings: Sendable {
        /// The configuration's name ("mattermost-noc"): the ledger's and
        /// the metrics' label.
        public var name: String
        /// The listener path the hook's callback URL points at.
        public var path: String
        /// The hook's token (Mattermost shows it on the hook's page): a
        /// request without it is refused 401.
        public var webhookToken: ResolvedSecret
        /// The server's address (`https://chat.example.org`), for the
        /// REST API; nil without an API token.
        public var serverURL: String?
        /// A bot account's access token or a personal access token; nil:
        /// webhook answers only (see docs/mattermost.md for what is lost).
        public var apiToken: ResolvedSecret?
        /// How long the webhook request is held open for the reply: below
        /// the server's `OutgoingIntegrationRequestsTimeout` (30 s by default).
        public var answerWithin: Duration
        /// The most characters of a post: Mattermost's `MaxPostSize` is
        /// 16,383 runes on current servers (`PostMessageMaxRunesV2`).
        public var maxCharacters: Int

        public static let defaultAnswerWithin = Duration.seconds(8)
        public static let defaultMaxCharacters = 16_000

        public static func defaultPath(name: String) -> String { "/mattermost/\(name)" }

        public init(name: String, path: String? = nil, webhookToken: ResolvedSecret, serverURL: String? = nil,
                    apiToken: ResolvedSecret? = nil, answerWithin: Duration = defaultAnswerWithin,
                    maxCharacters: Int = defaultMaxCharacters) {
            self.name = name
            self.path = path ?? Self.defaultPath(name: name)
            self.webhookToken = webhookToken
            self.serverURL = serverURL
            self.apiToken = apiToken
            self.answerWithin = answerWithin
            self.maxCharacters = maxCharacters
        }
    }
}
