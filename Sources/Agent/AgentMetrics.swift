import Integrations

/// The agent's counters and histograms, exported in Prometheus text by
/// the listener's /metrics. Each instance owns its registry (no global
/// bootstrap), so tests can make several in one process. SEAM: owned by
/// the listener piece, which fills in the bodies; the agent piece calls
/// exactly these.
public final class AgentMetrics: Sendable {
    public init() {}

    /// A ticket (kind tickets) or a message (kind chat) with something new.
    public func seen(backend: String, kind: ConversationKind) {}
    public func callIDsFound(backend: String, count: Int) {}
    /// One Call-ID looked up in the trace sources.
    public func traceLookup(found: Bool) {}
    /// One diagnosis made (or taken from the cache), by rule family.
    public func diagnosed(family: String) {}
    /// A post went out; `secondsSinceSeen` from the thread's `seenAt`.
    public func posted(backend: String, secondsSinceSeen: Double) {}
    public func postFailed(backend: String) {}
    public func pollFailed(backend: String) {}

    /// Everything, in the Prometheus text exposition format.
    public func prometheusText() -> String { "" }
}
