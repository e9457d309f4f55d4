import TraceFormats

extension HomerSource {
    /// Where a Homer 7 capture server is and how to ask it: what the
    /// configuration's `homer:` entry turns into once its password has been
    /// resolved. See docs/trace-sources.md.
    public struct Settings: Sendable {
        /// homer-app's address with its `http_settings.api_prefix`, if any,
        /// without `/api/v3`: `http://homer.example:9080`.
        public var baseURL: String
        public var username: String
        public var password: ResolvedSecret
        /// The database nodes searched (`param.location.node`): homer-app
        /// skips every node not listed, so a wrong list finds nothing.
        /// Their ids are the `value`s of `GET /api/v3/database/node/list`.
        public var nodes: [String]
        /// How far back from now the search looks. Homer keeps a few days
        /// of SIP; a ticket usually names a call of the last day.
        public var searchWindow: Duration
        /// The most message rows the search returns (its `limit`); the
        /// pcap export is not limited by it.
        public var searchLimit: Int
        /// What the exported pcap may hold.
        public var limits: TraceLimits
        /// The configuration's name for the server ("homer-east"), for
        /// messages; the address when nil.
        public var name: String?

        public init(baseURL: String, username: String, password: ResolvedSecret, nodes: [String] = ["localnode"],
                    searchWindow: Duration = .seconds(86_400), searchLimit: Int = 200, limits: TraceLimits = TraceLimits(),
                    name: String? = nil) {
            self.baseURL = baseURL
            self.username = username
            self.password = password
            self.nodes = nodes
            self.searchWindow = searchWindow
            self.searchLimit = searchLimit
            self.limits = limits
            self.name = name
        }
    }
}
