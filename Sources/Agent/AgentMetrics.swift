import Foundation
import Integrations
import Prometheus

/// The agent's counters and histograms, exported in Prometheus text by
/// the listener's /metrics. Each instance owns its registry (no global
/// bootstrap), so tests can make several in one process. The names are
/// listed in docs/observability.md; all carry the `sipagent_` prefix.
///
/// Series are made on first use; `register(backend:kind:)` makes a
/// back-end's series at zero up front, so that a dashboard's `rate()`
/// and an alert on `increase(sipagent_poll_failures_total[5m])` see a
/// back-end that never failed instead of no series at all.
public final class AgentMetrics: Sendable {
    /// Where every series lives; `prometheusText()` writes it out.
    public let registry: PrometheusCollectorRegistry
    /// swift-metrics' factory over the same registry: a `Counter(label:
    /// dimensions: factory:)` or a library that takes a factory lands in the
    /// same /metrics without touching the process-wide `MetricsSystem`.
    public let factory: PrometheusMetricsFactory

    /// Seen-to-posted latency buckets, in seconds: an agent that polls and
    /// posts at once answers in tens of milliseconds, a slow trace source
    /// or a back-end backing off takes seconds, and beyond a minute only
    /// "more than a minute" matters to the engineer waiting.
    public static let latencyBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Makes the back-end's series (at zero) before anything happens on it.
    public func register(backend: String, kind: ConversationKind) {
        _ = seenCounter(backend: backend, kind: kind)
        _ = callIDsCounter(backend: backend)
        _ = postsCounter(backend: backend)
        _ = postFailuresCounter(backend: backend)
        _ = pollFailuresCounter(backend: backend)
        _ = latencyHistogram(backend: backend)
    }

    /// A ticket (kind tickets) or a message (kind chat) with something new.
    public func seen(backend: String, kind: ConversationKind) {
        seenCounter(backend: backend, kind: kind).increment()
    }

    public func callIDsFound(backend: String, count: Int) {
        guard count > 0 else { return }
        callIDsCounter(backend: backend).increment(by: Int64(count))
    }

    /// One Call-ID looked up in the trace sources.
    public func traceLookup(found: Bool) {
        if found {
            registry.makeCounter(descriptor: .agent(MetricName.tracesFound, MetricHelp.tracesFound)).increment()
        } else {
            registry.makeCounter(descriptor: .agent(MetricName.tracesMissing, MetricHelp.tracesMissing)).increment()
        }
    }

    /// One diagnosis made (or taken from the cache), by rule family.
    public func diagnosed(family: String) {
        registry.makeCounter(descriptor: .agent(MetricName.diagnoses, MetricHelp.diagnoses), labels: [("family", family)]).increment()
    }

    /// A post went out; `secondsSinceSeen` from the thread's `seenAt`.
    public func posted(backend: String, secondsSinceSeen: Double) {
        postsCounter(backend: backend).increment()
        // A clock stepped back gives a negative age: it is counted in the
        // lowest bucket rather than lost; a NaN says nothing and is skipped.
        guard !secondsSinceSeen.isNaN else { return }
        latencyHistogram(backend: backend).record(max(0, secondsSinceSeen))
    }

    public func postFailed(backend: String) {
        postFailuresCounter(backend: backend).increment()
    }

    public func pollFailed(backend: String) {
        pollFailuresCounter(backend: backend).increment()
    }

    /// Each back-end's health as gauges, so that an alert can say "RT has
    /// not answered for ten minutes" (a poller stuck without failing never
    /// moves a failure counter): `sipagent_backend_up` is 1 when its latest
    /// news is a success and 0 when it is an error (not set before the
    /// first), and `sipagent_backend_last_success_timestamp_seconds` is the
    /// Unix time of its last success. The listener calls this on every
    /// scrape of /metrics with the health board's snapshot.
    public func recordHealth(_ backends: [BackendHealth]) {
        for backend in backends {
            switch backend.state {
            case .ok: upGauge(backend: backend.name).set(to: 1)
            case .failing: upGauge(backend: backend.name).set(to: 0)
            case .waiting: break
            }
            if let success = backend.lastSuccess {
                registry.makeGauge(descriptor: .agent(MetricName.lastSuccess, MetricHelp.lastSuccess), labels: [("backend", backend.name)])
                    .set(to: success.timeIntervalSince1970)
            }
        }
    }

    /// The store's page cache as of a scrape (`StoreDatabase.writerPageCacheBytes`).
    public func recordStorePageCache(bytes: Int64) {
        registry.makeGauge(descriptor: .agent(MetricName.storePageCache, MetricHelp.storePageCache)).set(to: Double(bytes))
    }

    /// Everything, in the Prometheus text exposition format (version 0.0.4).
    public func prometheusText() -> String {
        registry.emitToString()
    }

    // The registry hands back the same series for the same name and labels.

    private func seenCounter(backend: String, kind: ConversationKind) -> Counter {
        switch kind {
        case .tickets: registry.makeCounter(descriptor: .agent(MetricName.ticketsSeen, MetricHelp.ticketsSeen), labels: [("backend", backend)])
        case .chat: registry.makeCounter(descriptor: .agent(MetricName.messagesSeen, MetricHelp.messagesSeen), labels: [("backend", backend)])
        }
    }

    private func callIDsCounter(backend: String) -> Counter {
        registry.makeCounter(descriptor: .agent(MetricName.callIDsFound, MetricHelp.callIDsFound), labels: [("backend", backend)])
    }

    private func postsCounter(backend: String) -> Counter {
        registry.makeCounter(descriptor: .agent(MetricName.posts, MetricHelp.posts), labels: [("backend", backend)])
    }

    private func postFailuresCounter(backend: String) -> Counter {
        registry.makeCounter(descriptor: .agent(MetricName.postFailures, MetricHelp.postFailures), labels: [("backend", backend)])
    }

    private func pollFailuresCounter(backend: String) -> Counter {
        registry.makeCounter(descriptor: .agent(MetricName.pollFailures, MetricHelp.pollFailures), labels: [("backend", backend)])
    }

    private func upGauge(backend: String) -> Gauge {
        registry.makeGauge(descriptor: .agent(MetricName.backendUp, MetricHelp.backendUp), labels: [("backend", backend)])
    }

    private func latencyHistogram(backend: String) -> ValueHistogram {
        registry.makeValueHistogram(descriptor: .agent(MetricName.seenToPosted, MetricHelp.seenToPosted), labels: [("backend", backend)], buckets: Self.latencyBuckets)
    }
}

/// The exported names, in one place for docs/observability.md and the tests.
public enum MetricName {
    public static let ticketsSeen = "sipagent_tickets_seen_total"
    public static let messagesSeen = "sipagent_messages_seen_total"
    public static let callIDsFound = "sipagent_callids_found_total"
    public static let tracesFound = "sipagent_traces_found_total"
    public static let tracesMissing = "sipagent_traces_missing_total"
    public static let diagnoses = "sipagent_diagnoses_total"
    public static let posts = "sipagent_posts_total"
    public static let postFailures = "sipagent_post_failures_total"
    public static let pollFailures = "sipagent_poll_failures_total"
    public static let seenToPosted = "sipagent_seen_to_posted_seconds"
    public static let backendUp = "sipagent_backend_up"
    public static let lastSuccess = "sipagent_backend_last_success_timestamp_seconds"
    public static let storePageCache = "sipagent_store_page_cache_bytes"
}

/// One help text per name: the registry refuses a second, different one.
enum MetricHelp {
    static let ticketsSeen = "Tickets the agent read with something new in them, by back-end."
    static let messagesSeen = "Chat messages the agent read, by back-end."
    static let callIDsFound = "Call-ID candidates found in the texts read, by back-end."
    static let tracesFound = "Call-IDs whose trace a source had."
    static let tracesMissing = "Call-IDs no trace source had."
    static let diagnoses = "Diagnoses made or taken from the cache, by rule family."
    static let posts = "Annotations posted, by back-end."
    static let postFailures = "Annotations that could not be posted (each failed attempt), by back-end."
    static let pollFailures = "Polls that failed, by back-end."
    static let seenToPosted = "Seconds from the agent first seeing a ticket or message to its annotation being posted, by back-end."
    static let backendUp = "1 when the back-end's latest poll or post worked, 0 when it failed."
    static let lastSuccess = "Unix time of the back-end's last successful poll or post."
    static let storePageCache = "Bytes of SQLite page cache the database's writer connection holds (capped at 64 MiB; part of the resident memory)."
}

extension MetricNameDescriptor {
    /// Our names are written whole in `MetricName` (what an operator greps
    /// for); an empty unit adds nothing to the joined name.
    static func agent(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
