import Annotation
import Foundation

extension ZendeskBackend {
    /// Where a Zendesk Support account is and how the agent works it: what
    /// the configuration's `zendesk:` entry turns into once its API token
    /// has been resolved. See docs/zendesk.md.
    public struct Settings: Sendable {
        /// The account's address: `https://acme.zendesk.com`.
        public var baseURL: String
        /// The agent user's sign-in address; the API token is sent as
        /// `{email}/token:{token}` (Basic auth).
        public var email: String
        /// An API token of the account (Admin Center ▸ Zendesk API).
        public var token: ResolvedSecret
        /// Between two polls.
        public var pollInterval: Duration
        /// How far back the first poll ever looks (no cursor yet); at
        /// least a minute is used, since the export refuses a start_time
        /// less than a minute old.
        public var firstPollLookBack: Duration
        /// `.html` (sent as `html_body`) or `.plain` (sent as `body`).
        public var postMarkup: TextMarkup
        /// The longest post, in characters, before the ladder is trimmed.
        public var maxPostCharacters: Int
        /// The incremental export's budget: Zendesk allows 10 requests a
        /// minute; the back-end waits rather than spend more.
        public var exportLimit: RequestBudget
        /// At most this many export pages in one poll; the cursor then
        /// stops where the poll did and the next one goes on.
        public var maxExportPagesPerPoll: Int
        /// Comments asked per page (`page[size]`, at most 100).
        public var commentPageSize: Int
        /// The configuration's name for this account: the ledger's and the
        /// metrics' label.
        public var name: String

        public init(baseURL: String, email: String, token: ResolvedSecret, pollInterval: Duration = .seconds(30),
                    firstPollLookBack: Duration = .seconds(3_600), postMarkup: TextMarkup = .html,
                    maxPostCharacters: Int = 20_000, exportLimit: RequestBudget = .zendeskIncrementalExports,
                    maxExportPagesPerPoll: Int = 5, commentPageSize: Int = 100, name: String = "zendesk") {
            self.baseURL = baseURL
            self.email = email
            self.token = token
            self.pollInterval = pollInterval
            self.firstPollLookBack = firstPollLookBack
            self.postMarkup = postMarkup
            self.maxPostCharacters = maxPostCharacters
            self.exportLimit = exportLimit
            self.maxExportPagesPerPoll = maxExportPagesPerPoll
            self.commentPageSize = commentPageSize
            self.name = name
        }
    }

    /// At most `count` requests in any `window`.
    public struct RequestBudget: Sendable, Equatable {
        public var count: Int
        public var window: Duration

        public init(count: Int, window: Duration) {
            self.count = count
            self.window = window
        }

        /// Zendesk's limit on the incremental export endpoints.
        public static let zendeskIncrementalExports = RequestBudget(count: 10, window: .seconds(60))
    }
}

extension ZendeskBackend {
    /// The base URL without a trailing slash (nor `/api/v2`), refused when
    /// it could not be a Zendesk address or would carry credentials.
    static func server(_ baseURL: String) throws(ZendeskError) -> String {
        var url = baseURL.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/api/v2") { url.removeLast("/api/v2".count) }
        while url.hasSuffix("/") { url.removeLast() }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw .badSettings(reason: "url '\(baseURL)' is not an http:// or https:// address; write the account's address, e.g. https://acme.zendesk.com")
        }
        let afterScheme = url.drop { $0 != ":" }.dropFirst(3)
        let authority = afterScheme.prefix { $0 != "/" }
        guard !authority.isEmpty else { throw .badSettings(reason: "url '\(baseURL)' names no host") }
        guard !authority.contains("@") else {
            throw .badSettings(reason: "url names a user in the address; give the agent's address as email and its API token by reference (token_env or token_file)")
        }
        guard !url.contains("?"), !url.contains("#") else {
            throw .badSettings(reason: "url '\(baseURL)' has a query or fragment; write the account's address only, e.g. https://acme.zendesk.com")
        }
        return url
    }

    static func validate(_ settings: Settings) throws(ZendeskError) {
        let token = settings.token.value
        guard !token.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .badSettings(reason: "the API token is empty; point token_env or token_file at a Zendesk API token")
        }
        guard !token.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw .badSettings(reason: "the API token holds a line break; the token file must hold the token alone (a final newline is fine once trimmed)")
        }
        let email = settings.email.trimmingCharacters(in: .whitespaces)
        guard !email.isEmpty, email.contains("@"), !email.contains(where: { $0.isNewline || $0 == ":" || $0 == "/" }) else {
            throw .badSettings(reason: "email '\(settings.email)' is not a sign-in address; write the agent user's address, e.g. sipdiag@acme.example (the '/token' suffix is added by the agent)")
        }
        guard settings.pollInterval > .zero else {
            throw .badSettings(reason: "poll_interval must be longer than zero (30s is usual), not \(settings.pollInterval)")
        }
        guard settings.firstPollLookBack >= .zero, settings.firstPollLookBack <= .seconds(366 * 86_400) else {
            throw .badSettings(reason: "look_back must be between 0 and a year (1h is usual), not \(settings.firstPollLookBack)")
        }
        guard settings.postMarkup == .html || settings.postMarkup == .plain else {
            throw .badSettings(reason: "a Zendesk comment is HTML (html_body) or plain text (body); set markup to html or plain")
        }
        guard settings.maxPostCharacters >= ZendeskBackend.minimumPostCharacters else {
            throw .badSettings(reason: "max_characters must be at least \(ZendeskBackend.minimumPostCharacters), not \(settings.maxPostCharacters)")
        }
        guard settings.exportLimit.count >= 1, settings.exportLimit.window > .zero else {
            throw .badSettings(reason: "the export budget must allow at least one request in a window longer than zero")
        }
        guard settings.maxExportPagesPerPoll >= 1 else {
            throw .badSettings(reason: "at least one export page per poll is needed, not \(settings.maxExportPagesPerPoll)")
        }
        guard (1...100).contains(settings.commentPageSize) else {
            throw .badSettings(reason: "the comment page size must be between 1 and 100 (Zendesk's page[size] limit), not \(settings.commentPageSize)")
        }
        guard !settings.name.isEmpty else { throw .badSettings(reason: "the back-end's name is empty") }
    }
}
