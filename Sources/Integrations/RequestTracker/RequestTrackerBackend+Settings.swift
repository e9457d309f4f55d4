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

        public init(baseURL: String, token: ResolvedSecret, agentUser: String, queue: String? = nil, extraQuery: String? = nil,
                    pollInterval: Duration = .seconds(30), firstPollLookBack: Duration = .seconds(3_600),
                    postAs: PostKind = .comment, postMarkup: TextMarkup = .html, maxPostCharacters: Int = 20_000,
                    pageSize: Int = 50, name: String = "rt") {
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
