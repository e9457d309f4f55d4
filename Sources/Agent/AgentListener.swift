/// The agent's HTTP listener (Hummingbird): /healthz and /metrics, on the
/// configured address, loopback by default. SEAM: owned by the listener
/// piece.
public struct AgentListener: Sendable {
    public var host: String
    /// 0 picks a free port; `run` reports the one bound.
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int, metrics: AgentMetrics, health: HealthBoard) {
        self.host = host
        self.port = port
    }

    /// Serves until the task is cancelled; `onReady` gets the bound port.
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {}
}
