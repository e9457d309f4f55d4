import Annotation

/// A Zendesk Support account: the cursor-based incremental ticket export
/// in, private comments out (docs/zendesk.md).
public struct ZendeskSettings: Sendable, Equatable {
    public var name: String
    /// The account's address: `https://acme.zendesk.com`.
    public var baseURL: String
    /// The agent user's sign-in address (sent as `{email}/token`).
    public var email: String
    /// An API token of the account.
    public var token: Secret
    public var pollInterval: Duration
    /// How far back the very first poll looks (at least a minute is used).
    public var lookBack: Duration
    /// html (`html_body`) or plain (`body`): Zendesk shows no Markdown.
    public var markup: TextMarkup
    public var maxCharacters: Int
    /// Zendesk allows 10 incremental export requests a minute per account;
    /// lower it when something else exports from the same account.
    public var exportRequestsPerMinute: Int

    public static let defaultPollInterval = Duration.seconds(30)
    public static let defaultLookBack = Duration.seconds(3600)
    public static let defaultMaxCharacters = 20_000
    public static let defaultExportRequestsPerMinute = 10

    public init(name: String, baseURL: String = "", email: String = "", token: Secret = .environment("_"),
                pollInterval: Duration = defaultPollInterval, lookBack: Duration = defaultLookBack, markup: TextMarkup = .html,
                maxCharacters: Int = defaultMaxCharacters, exportRequestsPerMinute: Int = defaultExportRequestsPerMinute) {
        self.name = name
        self.baseURL = baseURL
        self.email = email
        self.token = token
        self.pollInterval = pollInterval
        self.lookBack = lookBack
        self.markup = markup
        self.maxCharacters = maxCharacters
        self.exportRequestsPerMinute = exportRequestsPerMinute
    }
}
