import Annotation

extension RequestTrackerBackend {
    /// Where a Request Tracker 5 is and how the agent works its queue: what
    /// the configuration's `rt:` entry turns into once its token has been
    /// resolved. See docs/request-tracker.md.
    public struct Settings: Sendable {
        /// RT's web address with its web path, without `/REST/2.0`:
        /// `http://rt.example/rt` on Debian (WebPath `/rt`), or
        /// `https://rt.example` where RT is served at the root.
        public var baseURL: String
        /// An RT authentication token of the agent's user (RT 5: Settings ▸
        /// Auth Tokens), sent as `Authorization: token …`.
        public var token: ResolvedSecret
        /// The RT user name the token belongs to: its transactions are the
        /// agent's own and are never read as someone's text. Give it the
        /// timezone UTC in RT (TicketSQL dates are read in the user's zone).
        public var agentUser: String
        /// Only tickets of this queue (by name); nil: every queue the user sees.
        public var queue: String?
        /// More TicketSQL, ANDed to the poll's query: `Status != 'resolved'`.
        public var extraQuery: String?
        /// Between two polls.
        public var pollInterval: Duration
        /// How far back the first poll ever looks (no cursor yet).
        public var firstPollLookBack: Duration
        /// A comment (an internal note, the default) or a reply to the
        /// requestor (correspondence, which RT mails out).
        public var postAs: PostKind
        /// `.html` (RT shows it formatted) or `.plain`.
        public var postMarkup: TextMarkup
        /// The longest post, in characters, before the ladder is trimmed.
        public var maxPostCharacters: Int
        /// Tickets and transactions asked per page (RT caps it at 100).
        public var pageSize: Int
        /// The configuration's name for this RT ("rt-noc"): the ledger's
        /// and the metrics' label.
        public var name: String
        /// Reuse RT's web session (one token check, then a cookie) instead
        /// of a bcrypt check of the token on every request
        /// (`RequestTrackerSession`).
        public var reuseWebSession: Bool

        public init(baseURL: String, token: ResolvedSecret, agentUser: String, queue: String? = nil, extraQuery: String? = nil,
                    pollInterval: Duration = .seconds(30), firstPollLookBack: Duration = .seconds(3_600),
                    postAs: PostKind = .comment, postMarkup: TextMarkup = .html, maxPostCharacters: Int = 20_000,
                    pageSize: Int = 50, name: String = "rt", reuseWebSession: Bool = true) {
            self.baseURL = baseURL
            self.token = token
            self.agentUser = agentUser
            self.queue = queue
            self.extraQuery = extraQuery
            self.pollInterval = pollInterval
            self.firstPollLookBack = firstPollLookBack
            self.postAs = postAs
            self.postMarkup = postMarkup
            self.maxPostCharacters = maxPostCharacters
            self.pageSize = pageSize
            self.name = name
            self.reuseWebSession = reuseWebSession
        }
    }

    /// How the agent's annotation lands on a ticket.
    public enum PostKind: String, Sendable, CaseIterable {
        /// `POST /ticket/:id/comment`: an internal note, not mailed to the requestor.
        case comment
        /// `POST /ticket/:id/correspond`: a reply, mailed to the requestor.
        case correspond
    }
}

extension RequestTrackerBackend {
    /// The base URL without a trailing slash (nor `/REST/2.0`), refused
    /// when it could not be an RT address or would carry credentials.
    static func server(_ baseURL: String) throws(RequestTrackerError) -> String {
        var url = baseURL.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/REST/2.0") { url.removeLast("/REST/2.0".count) }
        while url.hasSuffix("/") { url.removeLast() }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw .badSettings(reason: "url '\(baseURL)' is not an http:// or https:// address; write RT's web address with its web path, e.g. http://rt.example/rt")
        }
        let afterScheme = url.drop { $0 != ":" }.dropFirst(3)
        let authority = afterScheme.prefix { $0 != "/" }
        guard !authority.isEmpty else { throw .badSettings(reason: "url '\(baseURL)' names no host") }
        guard !authority.contains("@") else {
            throw .badSettings(reason: "url names a user in the address; give the RT user as agent_user and its token by reference (token_env or token_file)")
        }
        guard !url.contains("?"), !url.contains("#") else {
            throw .badSettings(reason: "url '\(baseURL)' has a query or fragment; write RT's web address only, with its web path (e.g. http://rt.example/rt)")
        }
        return url
    }

    static func validate(_ settings: Settings) throws(RequestTrackerError) {
        let token = settings.token.value
        guard !token.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .badSettings(reason: "the token is empty; point token_env or token_file at an RT auth token of the agent's user")
        }
        guard !token.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw .badSettings(reason: "the token holds a line break; the token file must hold the token alone (a final newline is fine once trimmed)")
        }
        guard !settings.agentUser.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .badSettings(reason: "agent_user is empty; name the RT user the token belongs to, so that its own comments are never read as someone's text")
        }
        guard (1...100).contains(settings.pageSize) else {
            throw .badSettings(reason: "page_size must be between 1 and 100 (RT answers at most 100 per page), not \(settings.pageSize)")
        }
        guard settings.pollInterval > .zero else {
            throw .badSettings(reason: "poll_interval must be longer than zero (30s is usual), not \(settings.pollInterval)")
        }
        guard settings.firstPollLookBack >= .zero, settings.firstPollLookBack <= .seconds(366 * 86_400) else {
            throw .badSettings(reason: "first_poll_look_back must be between 0 and a year (1h is usual), not \(settings.firstPollLookBack)")
        }
        guard settings.postMarkup == .html || settings.postMarkup == .plain else {
            throw .badSettings(reason: "RT shows a comment as text/html or text/plain; set markup to html or plain (markdown would show its asterisks)")
        }
        guard settings.maxPostCharacters >= RequestTrackerBackend.minimumPostCharacters else {
            throw .badSettings(reason: "max_post_characters must be at least \(RequestTrackerBackend.minimumPostCharacters), not \(settings.maxPostCharacters)")
        }
        if let queue = settings.queue, queue.trimmingCharacters(in: .whitespaces).isEmpty || queue.contains(where: \.isNewline) {
            throw .badSettings(reason: "queue '\(queue)' is empty or holds a line break; name one RT queue, or leave queue out for every queue the user sees")
        }
        guard !settings.name.isEmpty else { throw .badSettings(reason: "the back-end's name is empty") }
    }
}
