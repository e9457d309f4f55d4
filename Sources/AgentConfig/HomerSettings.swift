/// A Homer 7 capture server to fetch a call from (see
/// ../shared/docs/backends.md §7 for the API).
public struct HomerSettings: Sendable, Equatable {
    /// How the agent names this source in messages and the cache.
    public var name: String
    /// Up to the API prefix, without `/api/v3`: `https://homer.example.net:9080`.
    public var baseURL: String
    public var username: String
    public var password: Secret
    /// The database nodes searched (`param.location.node`); Homer queries
    /// only the nodes listed, so an empty list finds nothing.
    public var nodes: [String]
    /// How far back from now a search by Call-ID reaches.
    public var searchWindow: Duration

    public static let defaultNodes = ["localnode"]
    public static let defaultSearchWindow = Duration.seconds(24 * 3600)

    public init(name: String, baseURL: String, username: String, password: Secret,
                nodes: [String] = defaultNodes, searchWindow: Duration = defaultSearchWindow) {
        self.name = name
        self.baseURL = baseURL
        self.username = username
        self.password = password
        self.nodes = nodes
        self.searchWindow = searchWindow
    }
}
