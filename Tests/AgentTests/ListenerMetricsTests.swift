import Foundation
import Integrations
import Metrics
import Testing
@testable import Agent

/// The value of one sample line of Prometheus text (`name{labels} value`),
/// or nil when there is no such line.
func sample(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}

@Suite("Listener: the agent's metrics")
struct ListenerMetricsTests {
    @Test func ticketsAndMessagesAreCountedApartPerBackend() {
        let metrics = AgentMetrics()
        metrics.seen(backend: "rt-noc", kind: .tickets)
        metrics.seen(backend: "rt-noc", kind: .tickets)
        metrics.seen(backend: "matrix", kind: .chat)
        let text = metrics.prometheusText()
        #expect(sample(text, #"sipagent_tickets_seen_total{backend="rt-noc"}"#) == 2)
        #expect(sample(text, #"sipagent_messages_seen_total{backend="matrix"}"#) == 1)
        #expect(sample(text, #"sipagent_tickets_seen_total{backend="matrix"}"#) == nil)
        #expect(text.contains("# TYPE sipagent_tickets_seen_total counter"))
        #expect(text.contains("# HELP sipagent_tickets_seen_total "))
    }

    @Test func callIDsTracesDiagnosesPostsAndFailuresAreCounted() {
        let metrics = AgentMetrics()
        metrics.callIDsFound(backend: "rt", count: 3)
        metrics.callIDsFound(backend: "rt", count: 2)
        metrics.callIDsFound(backend: "rt", count: 0)
        metrics.traceLookup(found: true)
        metrics.traceLookup(found: true)
        metrics.traceLookup(found: false)
        metrics.diagnosed(family: "codec-mismatch")
        metrics.diagnosed(family: "codec-mismatch")
        metrics.diagnosed(family: "nat")
        metrics.posted(backend: "rt", secondsSinceSeen: 0.2)
        metrics.postFailed(backend: "rt")
        metrics.pollFailed(backend: "matrix")
        metrics.pollFailed(backend: "matrix")
        let text = metrics.prometheusText()
        #expect(sample(text, #"sipagent_callids_found_total{backend="rt"}"#) == 5)
        #expect(sample(text, "sipagent_traces_found_total") == 2)
        #expect(sample(text, "sipagent_traces_missing_total") == 1)
        #expect(sample(text, #"sipagent_diagnoses_total{family="codec-mismatch"}"#) == 2)
        #expect(sample(text, #"sipagent_diagnoses_total{family="nat"}"#) == 1)
        #expect(sample(text, #"sipagent_posts_total{backend="rt"}"#) == 1)
        #expect(sample(text, #"sipagent_post_failures_total{backend="rt"}"#) == 1)
        #expect(sample(text, #"sipagent_poll_failures_total{backend="matrix"}"#) == 2)
    }

    @Test func theLatencyHistogramFillsTheRightBuckets() {
        let metrics = AgentMetrics()
        metrics.posted(backend: "rt", secondsSinceSeen: 0.3)
        metrics.posted(backend: "rt", secondsSinceSeen: 4)
        metrics.posted(backend: "rt", secondsSinceSeen: 120)
        let text = metrics.prometheusText()
        let bucket = { (le: String) in sample(text, #"sipagent_seen_to_posted_seconds_bucket{backend="rt",le="\#(le)"}"#) }
        #expect(text.contains("# TYPE sipagent_seen_to_posted_seconds histogram"))
        #expect(bucket("0.05") == 0)
        #expect(bucket("0.25") == 0)
        #expect(bucket("0.5") == 1)
        #expect(bucket("2.5") == 1)
        #expect(bucket("5.0") ?? bucket("5") == 2)
        #expect(bucket("60.0") ?? bucket("60") == 2)
        #expect(bucket("+Inf") == 3)
        #expect(sample(text, #"sipagent_seen_to_posted_seconds_count{backend="rt"}"#) == 3)
        #expect(sample(text, #"sipagent_seen_to_posted_seconds_sum{backend="rt"}"#) == 124.3)
    }

    @Test func aNegativeAgeCountsInTheLowestBucketAndNaNIsSkipped() {
        let metrics = AgentMetrics()
        metrics.posted(backend: "rt", secondsSinceSeen: -3)
        metrics.posted(backend: "rt", secondsSinceSeen: .nan)
        let text = metrics.prometheusText()
        #expect(sample(text, #"sipagent_seen_to_posted_seconds_bucket{backend="rt",le="0.05"}"#) == 1)
        #expect(sample(text, #"sipagent_seen_to_posted_seconds_count{backend="rt"}"#) == 1)
        #expect(sample(text, #"sipagent_posts_total{backend="rt"}"#) == 2)
    }

    @Test func registeringABackendShowsItsSeriesAtZero() {
        let metrics = AgentMetrics()
        metrics.register(backend: "rt-noc", kind: .tickets)
        metrics.register(backend: "matrix", kind: .chat)
        let text = metrics.prometheusText()
        for series in [
            #"sipagent_tickets_seen_total{backend="rt-noc"}"#, #"sipagent_messages_seen_total{backend="matrix"}"#,
            #"sipagent_callids_found_total{backend="rt-noc"}"#, #"sipagent_posts_total{backend="matrix"}"#,
            #"sipagent_post_failures_total{backend="rt-noc"}"#, #"sipagent_poll_failures_total{backend="matrix"}"#,
            #"sipagent_seen_to_posted_seconds_count{backend="rt-noc"}"#,
        ] {
            #expect(sample(text, series) == 0, "\(series)")
        }
    }

    @Test func twoInstancesKeepTheirOwnCounts() {
        let first = AgentMetrics()
        let second = AgentMetrics()
        first.pollFailed(backend: "rt")
        #expect(sample(first.prometheusText(), #"sipagent_poll_failures_total{backend="rt"}"#) == 1)
        #expect(sample(second.prometheusText(), #"sipagent_poll_failures_total{backend="rt"}"#) == nil)
    }

    @Test func aBackendNameWithQuotesIsEscapedInTheLabel() {
        let metrics = AgentMetrics()
        metrics.pollFailed(backend: "rt \"main\"\\x")
        #expect(sample(metrics.prometheusText(), #"sipagent_poll_failures_total{backend="rt \"main\"\\x"}"#) == 1)
    }

    @Test func swiftMetricsThroughTheFactoryLandInTheSameText() {
        let metrics = AgentMetrics()
        Counter(label: "sipagent_extra_total", dimensions: [("backend", "rt")], factory: metrics.factory).increment(by: 4)
        #expect(sample(metrics.prometheusText(), #"sipagent_extra_total{backend="rt"}"#) == 4)
    }

    @Test func healthBecomesUpGaugesAndLastSuccessTimes() {
        let metrics = AgentMetrics()
        let success = Date(timeIntervalSince1970: 1_800_000_000)
        metrics.recordHealth([
            BackendHealth(name: "rt", lastSuccess: success),
            BackendHealth(name: "matrix", lastSuccess: success, lastError: "429", lastErrorAt: success + 5),
            BackendHealth(name: "inbox"),
        ])
        var text = metrics.prometheusText()
        #expect(sample(text, #"sipagent_backend_up{backend="rt"}"#) == 1)
        #expect(sample(text, #"sipagent_backend_up{backend="matrix"}"#) == 0)
        #expect(sample(text, #"sipagent_backend_up{backend="inbox"}"#) == nil)
        #expect(sample(text, #"sipagent_backend_last_success_timestamp_seconds{backend="rt"}"#) == 1_800_000_000)
        #expect(text.contains("# TYPE sipagent_backend_up gauge"))
        metrics.recordHealth([BackendHealth(name: "matrix", lastSuccess: success + 10, lastError: "429", lastErrorAt: success + 5)])
        text = metrics.prometheusText()
        #expect(sample(text, #"sipagent_backend_up{backend="matrix"}"#) == 1)
        #expect(sample(text, #"sipagent_backend_last_success_timestamp_seconds{backend="matrix"}"#) == 1_800_000_010)
    }

    @Test func countsFromManyTasksAddUp() async {
        let metrics = AgentMetrics()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<500 { metrics.seen(backend: "rt", kind: .tickets) }
                }
            }
        }
        #expect(sample(metrics.prometheusText(), #"sipagent_tickets_seen_total{backend="rt"}"#) == 4000)
    }
}
