/// How the long-running agent itself behaves (`agent:`), where its
/// listener binds (`listener:`) and what is blanked out of its posts
/// (`redaction:`).
public struct AgentSettings: Sendable, Equatable {
    public enum LogFormat: String, Sendable, Equatable, CaseIterable {
        case text
        case json
    }

    /// How many tickets or messages are worked on at once.
    public var concurrency: Int
    /// How long a claim on a ledger item holds before another agent (or
    /// this one, restarted) may take it over.
    public var lease: Duration
    public var logFormat: LogFormat

    public static let defaultConcurrency = 4
    public static let defaultLease = Duration.seconds(120)

    public init(concurrency: Int = defaultConcurrency, lease: Duration = defaultLease, logFormat: LogFormat = .text) {
        self.concurrency = concurrency
        self.lease = lease
        self.logFormat = logFormat
    }
}

/// The HTTP listener with /healthz and /metrics: loopback unless the file
/// says otherwise, since the metrics name the back-ends.
public struct ListenerSettings: Sendable, Equatable {
    public var enabled: Bool
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int

    public static let defaultPort = 9464

    public init(enabled: Bool = true, host: String = "127.0.0.1", port: Int = defaultPort) {
        self.enabled = enabled
        self.host = host
        self.port = port
    }
}
