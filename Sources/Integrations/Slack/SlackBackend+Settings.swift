extension SlackBackend {
    /// Which messages in the channels the app is in it answers.
    public enum RespondTo: String, Sendable, Equatable, CaseIterable {
        /// `app_mention` events only: someone wrote @app. The default.
        case mentions
        /// Every `message` event as well (channels, groups, DMs the app
        /// subscribed to); the agent still answers only Call-IDs it can
        /// find or that are marked as such.
        case everyMessage = "every_message"
    }

    /// Who sees the answer to `/sip` (the `response_type` of the post to
    /// the command's response_url).
    public enum CommandResponse: String, Sendable, Equatable, CaseIterable {
        /// The channel sees the diagnosis (and the command): the default,
        /// since a call's failure is the team's business.
        case inChannel = "in_channel"
        /// Only the one who typed it.
        case ephemeral
    }

    /// A Slack app in one workspace: what the configuration's `slack:`
    /// entry turns into once its secrets are resolved. See docs/slack.md.
    public struct Settings: Sendable {
        public var name: String
        /// The Web API's base (`https://slack.com/api`); tests point it at
        /// their own server.
        public var apiURL: String
        /// The Bot User OAuth Token (`xoxb-…`).
        public var botToken: ResolvedSecret
        /// The app's signing secret (Basic Information → App Credentials).
        public var signingSecret: ResolvedSecret
        public var respondTo: RespondTo
        public var commandResponse: CommandResponse
        /// Listener paths for the Events API's Request URL and the slash
        /// command's Request URL.
        public var eventsPath: String
        public var commandsPath: String
        /// The most UTF-8 bytes of a post's plain text and of its
        /// formatted body (`SlackBackend.characterLimits`).
        public var maxCharacters: Int

        public init(name: String, apiURL: String = "https://slack.com/api", botToken: ResolvedSecret, signingSecret: ResolvedSecret,
                    respondTo: RespondTo = .mentions, commandResponse: CommandResponse = .inChannel,
                    eventsPath: String? = nil, commandsPath: String? = nil, maxCharacters: Int = 12_000) {
            self.name = name
            self.apiURL = apiURL
            self.botToken = botToken
            self.signingSecret = signingSecret
            self.respondTo = respondTo
            self.commandResponse = commandResponse
            self.eventsPath = eventsPath ?? "/slack/\(name)/events"
            self.commandsPath = commandsPath ?? "/slack/\(name)/commands"
            self.maxCharacters = maxCharacters
        }
    }
}
