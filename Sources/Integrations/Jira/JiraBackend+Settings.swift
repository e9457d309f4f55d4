import Foundation

extension JiraBackend {
    /// Where a Jira Service Management site is and how the agent works it:
    /// what the configuration's `jira:` entry turns into once its API token
    /// has been resolved. See docs/jira.md.
    public struct Settings: Sendable {
        /// The site's address: `https://example.atlassian.net`.
        public var baseURL: String
        /// The Atlassian account's e-mail: Basic auth is `email:api_token`.
        public var email: String
        /// An API token of that account (id.atlassian.com ▸ Security).
        public var apiToken: ResolvedSecret
        /// Only issues of this project (its key, `SUP`); nil: every project the account sees.
        public var project: String?
        /// More JQL, ANDed to the poll's query: `status != Done`.
        public var extraJQL: String?
        public var pollInterval: Duration
        /// How far back the first poll ever looks (no cursor yet).
        public var firstPollLookBack: Duration
        /// Issues asked per search page, comments per comment page (Jira caps both at 100).
        public var pageSize: Int
        /// The longest post, in characters (Jira's text fields take 32,767).
        public var maxPostCharacters: Int
        /// How the text is wrapped for Jira's wiki rendering (`PostFormat`).
        public var postFormat: PostFormat
        /// The configuration's name for this site ("jsm-support").
        public var name: String

        public init(baseURL: String, email: String, apiToken: ResolvedSecret, project: String? = nil, extraJQL: String? = nil,
                    pollInterval: Duration = .seconds(30), firstPollLookBack: Duration = .seconds(3_600), pageSize: Int = 50,
                    maxPostCharacters: Int = 30_000, postFormat: PostFormat = .noformat, name: String = "jira") {
            self.baseURL = baseURL
            self.email = email
            self.apiToken = apiToken
            self.project = project
            self.extraJQL = extraJQL
            self.pollInterval = pollInterval
            self.firstPollLookBack = firstPollLookBack
            self.pageSize = pageSize
            self.maxPostCharacters = maxPostCharacters
            self.postFormat = postFormat
            self.name = name
        }
    }

    /// How the annotation's plain text goes into the comment body. Whether
    /// the service desk API renders a body as wiki markup is not
    /// documented; if it does, a ladder's `--` turn into dashes and `|` at
    /// a line's start into tables. `noformat` wraps the text in
    /// `{noformat}…{noformat}` (kept verbatim, monospaced, under wiki
    /// rendering; two visible tags if the body is taken as plain text);
    /// `plain` sends the text as it is.
    public enum PostFormat: String, Sendable, CaseIterable {
        case noformat
        case plain

        /// What the two tags and their line breaks add.
        static let wrapperCharacters = 24

        func body(_ text: String) -> String {
            switch self {
            case .plain: return text
            case .noformat:
                // A `{noformat}` inside (a header's value) would end the block early.
                let inside = text.replacingOccurrences(of: "{noformat}", with: "{ noformat}", options: .caseInsensitive)
                return "{noformat}\n" + inside + "\n{noformat}"
            }
        }
    }

    /// Jira's default `jira.text.field.character.limit`: a longer comment is refused.
    public static let maximumPostCharacters = 32_767
    public static let minimumPostCharacters = 1_000

    /// The base URL without a trailing slash, refused when it could not be
    /// a Jira site or would carry credentials.
    static func site(_ baseURL: String) throws(JiraError) -> String {
        var url = baseURL.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw .badSettings(reason: "url '\(baseURL)' is not an http:// or https:// address; write the site's address, e.g. https://example.atlassian.net")
        }
        let afterScheme = url.drop { $0 != ":" }.dropFirst(3)
        let authority = afterScheme.prefix { $0 != "/" }
        guard !authority.isEmpty else { throw .badSettings(reason: "url '\(baseURL)' names no host") }
        guard !authority.contains("@") else {
            throw .badSettings(reason: "url names a user in the address; give the account's e-mail as email and its API token by reference (token_env or token_file)")
        }
        guard !url.contains("?"), !url.contains("#") else {
            throw .badSettings(reason: "url '\(baseURL)' has a query or fragment; write the site's address only, e.g. https://example.atlassian.net")
        }
        if lower.contains("/rest/") {
            throw .badSettings(reason: "url '\(baseURL)' names an API path; write the site's address only, e.g. https://example.atlassian.net")
        }
        return url
    }

    static func validate(_ settings: Settings) throws(JiraError) {
        let token = settings.apiToken.value
        guard !token.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .badSettings(reason: "the API token is empty; point token_env or token_file at an API token of the agent's Atlassian account")
        }
        guard !token.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw .badSettings(reason: "the API token holds a line break; the token file must hold the token alone")
        }
        let email = settings.email.trimmingCharacters(in: .whitespaces)
        guard !email.isEmpty, email.contains("@"), !email.contains(":"), !email.contains(where: { $0.isNewline }) else {
            throw .badSettings(reason: "email '\(settings.email)' is not an e-mail address; write the e-mail of the Atlassian account the API token belongs to")
        }
        guard (1...100).contains(settings.pageSize) else {
            throw .badSettings(reason: "page_size must be between 1 and 100 (Jira answers at most 100 per page), not \(settings.pageSize)")
        }
        guard settings.pollInterval > .zero else {
            throw .badSettings(reason: "poll_interval must be longer than zero (30s is usual), not \(settings.pollInterval)")
        }
        guard settings.firstPollLookBack >= .zero, settings.firstPollLookBack <= .seconds(366 * 86_400) else {
            throw .badSettings(reason: "look_back must be between 0 and a year (1h is usual), not \(settings.firstPollLookBack)")
        }
        guard (minimumPostCharacters...maximumPostCharacters).contains(settings.maxPostCharacters) else {
            throw .badSettings(reason: "max_characters must be between \(minimumPostCharacters) and \(maximumPostCharacters) (Jira refuses a longer comment), not \(settings.maxPostCharacters)")
        }
        if let project = settings.project, !JiraIssueKey.isProjectKey(project) {
            throw .badSettings(reason: "project '\(project)' is not a Jira project key; write the key (letters, digits and _, starting with a letter, like SUP), or leave project out")
        }
        if let extra = settings.extraJQL, extra.contains(where: \.isNewline) || extra.lowercased().contains("order by") {
            throw .badSettings(reason: "jql '\(extra.prefix(80))' holds a line break or an ORDER BY; write only conditions (status != Done): the agent orders by updated itself")
        }
        guard !settings.name.isEmpty else { throw .badSettings(reason: "the back-end's name is empty") }
    }
}

/// An issue key (`SUP-12`): a thread's id, checked before it goes into a path.
enum JiraIssueKey {
    static func isProjectKey(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter, text.count <= 255 else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    static func check(_ key: String) throws(JiraError) -> String {
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, isProjectKey(String(parts[0])), !parts[1].isEmpty, parts[1].count <= 18,
              parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .badSettings(reason: "'\(key.prefix(60))' is not a Jira issue key; a Jira thread's id is its issue key (e.g. SUP-12)")
        }
        return key
    }
}
