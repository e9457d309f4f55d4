import Annotation
import Diagnosis
import TraceFormats

/// Everything the configuration file says, as plain values with the
/// defaults filled in. `AgentConfiguration()` is the agent with no file at
/// all, which must work: the database at the XDG default, no export
/// directory, no source, no peer names, the readers' own limits.
///
/// The ticket and chat back-ends and the agent's own settings are the
/// sections `inbox`, `rt`, `matrix`, `agent`, `listener` and `redaction`.
public struct AgentConfiguration: Sendable, Equatable {
    /// The SQLite file; nil means the XDG default the store computes.
    public var databasePath: String?
    public var exportDirectories: [ExportDirectorySettings]
    public var homerSources: [HomerSettings]
    public var httpSources: [HTTPSourceSettings]
    /// Participant names by address range, as `--peer` gives them.
    public var peers: PeerMap
    public var limits: TraceLimits
    public var tls: TLSSettings
    /// The ticket and chat back-ends (docs/agent.md), in the order written.
    public var inboxes: [InboxSettings] = []
    public var requestTrackers: [RequestTrackerSettings] = []
    public var matrixServers: [MatrixSettings] = []
    public var slackWorkspaces: [SlackSettings] = []
    public var mattermostHooks: [MattermostSettings] = []
    public var zendeskInstances: [ZendeskSettings] = []
    public var jiraSites: [JiraSettings] = []
    public var agent = AgentSettings()
    public var listener = ListenerSettings()
    public var redaction = RedactionRules()

    public init(databasePath: String? = nil,
                exportDirectories: [ExportDirectorySettings] = [],
                homerSources: [HomerSettings] = [],
                httpSources: [HTTPSourceSettings] = [],
                peers: PeerMap = PeerMap(),
                limits: TraceLimits = TraceLimits(),
                tls: TLSSettings = TLSSettings()) {
        self.databasePath = databasePath
        self.exportDirectories = exportDirectories
        self.homerSources = homerSources
        self.httpSources = httpSources
        self.peers = peers
        self.limits = limits
        self.tls = tls
    }
}

/// How outside calls verify servers. Verification itself is always on.
public struct TLSSettings: Sendable, Equatable {
    /// A PEM bundle of the CAs to trust instead of the system's (a private
    /// Homer behind an internal CA); nil trusts the system's.
    public var caBundlePath: String?

    public init(caBundlePath: String? = nil) {
        self.caBundlePath = caBundlePath
    }
}
