/// A Jira Service Management site (Jira Cloud): JQL search in, internal
/// comments out. See docs/jira.md.
public struct JiraSettings: Sendable, Equatable {
    public var name: String
    /// The site's address: `https://example.atlassian.net`.
    public var baseURL: String
    /// The agent's Atlassian account: Basic auth is `email:api_token`.
    public var email: String
    public var token: Secret
    /// A project key (`SUP`); nil: every project the account sees.
    public var project: String?
    /// Extra JQL ANDed to the poll's (`status != Done`).
    public var jql: String?
    public var pollInterval: Duration
    /// How far back the very first poll looks.
    public var lookBack: Duration
    public var pageSize: Int
    /// Jira refuses a comment over 32,767 characters.
    public var maxCharacters: Int
    /// `noformat` (the default) wraps the post in `{noformat}` for Jira's
    /// wiki rendering; `plain` sends the text as it is (docs/jira.md).
    public var postFormat: PostFormat

    public enum PostFormat: String, Sendable, Equatable, CaseIterable {
        case noformat
        case plain
    }

    public static let defaultPollInterval = Duration.seconds(30)
    public static let defaultLookBack = Duration.seconds(3600)
    public static let defaultPageSize = 50
    public static let defaultMaxCharacters = 30_000

    public init(name: String, baseURL: String = "", email: String = "", token: Secret = .environment("_"), project: String? = nil,
                jql: String? = nil, pollInterval: Duration = defaultPollInterval, lookBack: Duration = defaultLookBack,
                pageSize: Int = defaultPageSize, maxCharacters: Int = defaultMaxCharacters, postFormat: PostFormat = .noformat) {
        self.name = name
        self.baseURL = baseURL
        self.email = email
        self.token = token
        self.project = project
        self.jql = jql
        self.pollInterval = pollInterval
        self.lookBack = lookBack
        self.pageSize = pageSize
        self.maxCharacters = maxCharacters
        self.postFormat = postFormat
    }
}
