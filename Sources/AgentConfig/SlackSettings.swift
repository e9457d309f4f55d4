/// A Slack workspace's app: Events API and the /sip slash command in,
/// chat.postMessage out. The vendor pushes to the agent's listener, so the
/// listener must be enabled. See docs/slack.md.
public struct SlackSettings: Sendable, Equatable {
    public enum RespondTo: String, Sendable, Equatable, CaseIterable {
        /// Only `app_mention` events: someone wrote @agent.
        case mentions
        /// Every message in the channels the app is in (and `message.*`
        /// events subscribed).
        case everyMessage = "every_message"
    }

    /// Who sees the answer to `/sip`: everyone in the channel, or only the
    /// one who asked.
    public enum CommandResponse: String, Sendable, Equatable, CaseIterable {
        case inChannel = "in_channel"
        case ephemeral
    }

    public var name: String
    /// The bot token (`xoxb-…`): chat.postMessage, conversations.replies, auth.test.
    public var botToken: Secret
    /// The app's signing secret: every pushed request is checked with it.
    public var signingSecret: Secret
    /// The Web API's base; only tests point it elsewhere.
    public var apiURL: String = SlackSettings.defaultAPIURL
    public var respondTo: RespondTo = .mentions
    public var commandResponse: CommandResponse = .inChannel
    /// Listener paths; nil: `/slack/NAME/events` and `/slack/NAME/commands`.
    public var eventsPath: String?
    public var commandsPath: String?
    /// The most characters of a post (its plain text and its formatted body).
    public var maxCharacters: Int = 12_000

    public static let defaultAPIURL = "https://slack.com/api"

    public init(name: String, botToken: Secret, signingSecret: Secret) {
        self.name = name
        self.botToken = botToken
        self.signingSecret = signingSecret
    }

    public var resolvedEventsPath: String { eventsPath ?? "/slack/\(name)/events" }
    public var resolvedCommandsPath: String { commandsPath ?? "/slack/\(name)/commands" }
}
