import Annotation

/// The ticket and chat back-ends the agent watches and answers in, as the
/// configuration names them: several of each kind, each with a name of its
/// own (the ledger's, the metrics' and the logs' label). Secrets are only
/// referenced (`Secret`); the agent resolves them when it starts.

/// A local folder of ticket JSON files in, a folder of annotations out:
/// the whole loop on a machine with no ticket system (`config/local.yaml`).
public struct InboxSettings: Sendable, Equatable {
    public var name: String
    /// Where ticket files (`*.json`) are read from.
    public var inDirectory: String
    /// Where the annotations are written (one file per post).
    public var outDirectory: String
    public var pollInterval: Duration
    public var markup: TextMarkup
    public var maxCharacters: Int

    public static let defaultPollInterval = Duration.seconds(5)
    public static let defaultMaxCharacters = 20_000

    public init(name: String, inDirectory: String, outDirectory: String, pollInterval: Duration = defaultPollInterval,
                markup: TextMarkup = .markdown, maxCharacters: Int = defaultMaxCharacters) {
        self.name = name
        self.inDirectory = inDirectory
        self.outDirectory = outDirectory
        self.pollInterval = pollInterval
        self.markup = markup
        self.maxCharacters = maxCharacters
    }
}

/// A Request Tracker 5 instance, through its REST2 API.
public struct RequestTrackerSettings: Sendable, Equatable {
    public enum PostAs: String, Sendable, Equatable, CaseIterable {
        /// An internal comment: what the requestor does not see (default).
        case comment
        /// A reply the requestor gets by mail.
        case correspond
    }

    public var name: String
    /// Including RT's web path: `https://rt.example.net/rt`.
    public var baseURL: String
    public var token: Secret
    /// The RT user the token belongs to: its own transactions are skipped.
    public var agentUser: String
    public var queue: String?
    /// Extra TicketSQL ANDed to the poll's (`Status != 'resolved'`).
    public var query: String?
    public var pollInterval: Duration
    /// How far back the very first poll looks.
    public var lookBack: Duration
    public var postAs: PostAs
    public var pageSize: Int
    /// html or plain: RT shows no Markdown.
    public var markup: TextMarkup
    public var maxCharacters: Int = 20_000
    /// Reuse RT's web session rather than have RT check the token (bcrypt)
    /// on every request (docs/request-tracker.md, "Speed").
    public var webSession = true

    public static let defaultPollInterval = Duration.seconds(30)
    public static let defaultLookBack = Duration.seconds(3600)
    public static let defaultPageSize = 50

    public init(name: String, baseURL: String, token: Secret, agentUser: String, queue: String? = nil, query: String? = nil,
                pollInterval: Duration = defaultPollInterval, lookBack: Duration = defaultLookBack, postAs: PostAs = .comment,
                pageSize: Int = defaultPageSize, markup: TextMarkup = .html) {
        self.name = name
        self.baseURL = baseURL
        self.token = token
        self.agentUser = agentUser
        self.queue = queue
        self.query = query
        self.pollInterval = pollInterval
        self.lookBack = lookBack
        self.postAs = postAs
        self.pageSize = pageSize
        self.markup = markup
    }
}

/// A Matrix homeserver, through the client-server API.
public struct MatrixSettings: Sendable, Equatable {
    public enum RespondTo: String, Sendable, Equatable, CaseIterable {
        /// Only messages that mention the agent.
        case mentions
        /// Every message with a Call-ID in the rooms it is in.
        case everyMessage = "every_message"
    }

    public var name: String
    public var homeserverURL: String
    /// The agent's user: `agent` or `@agent:example.net`.
    public var user: String
    public var password: Secret
    /// Fixed, so that every restart is the same device (no device pile-up).
    public var deviceID: String
    public var respondTo: RespondTo
    public var joinOnInvite: Bool
    /// How long one /sync waits for something new.
    public var syncTimeout: Duration
    /// The most characters of a post (Matrix caps an event at 64 KiB of JSON).
    public var maxCharacters: Int = 16_000

    public static let defaultDeviceID = "SIPDIAG_AGENT"
    public static let defaultSyncTimeout = Duration.seconds(30)

    public init(name: String, homeserverURL: String, user: String, password: Secret, deviceID: String = defaultDeviceID,
                respondTo: RespondTo = .mentions, joinOnInvite: Bool = true, syncTimeout: Duration = defaultSyncTimeout) {
        self.name = name
        self.homeserverURL = homeserverURL
        self.user = user
        self.password = password
        self.deviceID = deviceID
        self.respondTo = respondTo
        self.joinOnInvite = joinOnInvite
        self.syncTimeout = syncTimeout
    }
}
