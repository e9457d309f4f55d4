import Annotation
import Foundation
import HTTPClient

/// A Slack app as a chat the agent answers in. Slack pushes to the agent's
/// listener: Events API deliveries (`app_mention`, and `message` with
/// `respond_to: every_message`) and the `/sip` slash command, each checked
/// against the signing secret (`SlackSignature`). A mention is answered in
/// its thread with `chat.postMessage`; a command through its response_url.
/// Nothing is polled. See docs/slack.md.
public struct SlackBackend: InboundBackend {
    public let name: String
    public let settings: Settings
    public var kind: ConversationKind { .chat }
    /// Markdown from the renderer, turned into Slack's mrkdwn sections by
    /// `SlackMessage` (the ladder in a code block).
    public var postStyle: PostStyle { PostStyle(markup: .markdown, maxCharacters: settings.maxCharacters) }
    /// Slack pushes; `poll` has nothing to fetch, so it is seldom asked.
    public var pollInterval: Duration { .seconds(3600) }
    public var inboundPaths: [String] { [settings.eventsPath, settings.commandsPath] }

    /// What `maxCharacters` may be: from the renderer's minimum to what
    /// stays far below Slack's 40,000-character `text` (escaping `<` as
    /// `&lt;` can grow a text) and fits 50 blocks of 3,000 characters.
    public static let characterLimits = 1_000...30_000

    let api: SlackWebAPI
    let signature: SlackSignature
    let identity: SlackIdentity

    public init(settings: Settings, client: any HTTPSending) throws(SlackError) {
        guard !settings.name.isEmpty else { throw .badSettings(reason: "the back-end needs a name (slack-noc)") }
        guard !settings.botToken.value.isEmpty else {
            throw .badSettings(reason: "the bot token is empty; check the bot_token_env or bot_token_file the configuration points at")
        }
        guard !settings.signingSecret.value.isEmpty else {
            throw .badSettings(reason: "the signing secret is empty; check the signing_secret_env or signing_secret_file the configuration points at")
        }
        guard Self.characterLimits.contains(settings.maxCharacters) else {
            throw .badSettings(reason: "max_characters must be between \(Self.characterLimits.lowerBound) and \(Self.characterLimits.upperBound), not \(settings.maxCharacters)")
        }
        for path in [settings.eventsPath, settings.commandsPath] where !path.hasPrefix("/") || path.contains(" ") {
            throw .badSettings(reason: "'\(path)' is not a listener path; write one starting with /, like /slack/\(settings.name)/events")
        }
        guard settings.eventsPath != settings.commandsPath else {
            throw .badSettings(reason: "the events path and the commands path are both '\(settings.eventsPath)'; give each its own")
        }
        let base = try SlackWebAPI.base(settings.apiURL)
        self.settings = settings
        name = settings.name
        api = SlackWebAPI(base: base, token: settings.botToken, client: client, gate: SlackRateGate())
        signature = SlackSignature(signingSecret: settings.signingSecret)
        identity = SlackIdentity()
    }

    public func poll(after cursor: String?) async throws -> ConversationPoll {
        ConversationPoll(threads: [], cursor: nil)
    }
}
