import TraceFormats

/// Where a Homer 7 capture server is and how to ask it: what the
/// configuration's `[[homer]]` entry turns into once its password has been
/// resolved. See docs/trace-sources.md.
public struct HomerSettings: Sendable {
    /// homer-app's address with its `http_settings.api_prefix`, if any, and
    /// without `/api/v3`: `http://homer.example:9080`.
    public var baseURL: String
    public var username: String
    public var password: Secret
    /// The database nodes searched (`param.location.node`): homer-app skips
    /// every node not listed, so an empty or wrong list finds nothing.
    /// Their ids are the `value`s of `GET /api/v3/database/node/list`.
    public var nodes: [String]
    /// How far back from now the search looks, in seconds. Homer keeps a
    /// few days of SIP; a ticket usually names a call of the last day.
    public var lookBack: Double
    /// The most message rows the search returns (its `limit`); the pcap
    /// export is not limited by it.
    public var searchLimit: Int
    /// What the exported pcap may hold (`TraceLimits.maxCaptureBytes`).
    public var limits: TraceLimits

    public init(baseURL: String, username: String, password: Secret, nodes: [String] = ["localnode"],
                lookBack: Double = 86_400, searchLimit: Int = 200, limits: TraceLimits = TraceLimits()) {
        self.baseURL = baseURL
        self.username = username
        self.password = password
        self.nodes = nodes
        self.lookBack = lookBack
        self.searchLimit = searchLimit
        self.limits = limits
    }
}
