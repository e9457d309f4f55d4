import Foundation
import HTTPClient
import Logging
import Testing
@testable import Agent

/// A listener running in a task on 127.0.0.1 and a free port, stopped by
/// cancelling that task.
struct RunningListener {
    let port: Int
    let task: Task<Void, any Error>
    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func start(metrics: AgentMetrics, health: HealthBoard, logger: Logger = Logger(label: "agent.listener")) async throws -> RunningListener {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let listener = AgentListener(port: 0, metrics: metrics, health: health, logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await listener.run { continuation.yield($0) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value // throws what stopped it
            throw ListenerTestFailure(description: "the listener stopped without saying which port it bound")
        }
        return RunningListener(port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

struct ListenerTestFailure: Error, CustomStringConvertible {
    var description: String
}

@Suite("Listener: /healthz and /metrics over HTTP on loopback")
struct ListenerHTTPTests {
    let client = CurlHTTPClient(options: HTTPClientOptions(connectTimeout: .seconds(2), timeout: .seconds(10), retry: .never), environment: [:])

    @Test func healthzAnswers200WithEachBackendsHealthEvenWhileOneFails() async throws {
        let health = HealthBoard(backends: ["rt", "matrix"])
        await health.succeeded("matrix")
        await health.failed("rt", error: "RT answered 500 Internal Server Error", retryAt: Date() + 30)
        let listener = try await RunningListener.start(metrics: AgentMetrics(), health: health)
        defer { Task { await listener.stop() } }

        let response = try await client.send(HTTPRequest(url: listener.baseURL + "/healthz"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(object["status"] as? String == "degraded")
        let backends = try #require(object["backends"] as? [[String: Any]])
        #expect(backends.map { $0["name"] as? String } == ["rt", "matrix"])
        #expect(backends[0]["lastError"] as? String == "RT answered 500 Internal Server Error")
        #expect(backends[0]["retryAt"] is String)
        #expect(backends[1]["state"] as? String == "ok")
        await listener.stop()
    }

    @Test func strictHealthzAnswers503WhileABackendFailsAnd200WhenAllAreWell() async throws {
        let health = HealthBoard(backends: ["rt"])
        await health.failed("rt", error: "connection refused")
        let listener = try await RunningListener.start(metrics: AgentMetrics(), health: health)
        #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/healthz?strict")).status == 503)
        #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/healthz?strict=false")).status == 200)
        await health.succeeded("rt")
        #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/healthz?strict")).status == 200)
        await listener.stop()
    }

    @Test func metricsAnswersPrometheusTextWithItsContentTypeAndCurrentCounts() async throws {
        let metrics = AgentMetrics()
        metrics.register(backend: "rt", kind: .tickets)
        let listener = try await RunningListener.start(metrics: metrics, health: HealthBoard(backends: ["rt"]))

        let first = try await client.send(HTTPRequest(url: listener.baseURL + "/metrics"))
        #expect(first.status == 200)
        #expect(first.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(sample(String(decoding: first.body, as: UTF8.self), #"sipagent_tickets_seen_total{backend="rt"}"#) == 0)

        metrics.seen(backend: "rt", kind: .tickets)
        metrics.posted(backend: "rt", secondsSinceSeen: 0.07)
        let second = String(decoding: try await client.send(HTTPRequest(url: listener.baseURL + "/metrics")).body, as: UTF8.self)
        #expect(sample(second, #"sipagent_tickets_seen_total{backend="rt"}"#) == 1)
        #expect(sample(second, #"sipagent_seen_to_posted_seconds_bucket{backend="rt",le="0.1"}"#) == 1)
        await listener.stop()
    }

    @Test func anUnknownPathIs404() async throws {
        let listener = try await RunningListener.start(metrics: AgentMetrics(), health: HealthBoard(backends: []))
        #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/admin")).status == 404)
        await listener.stop()
    }

    @Test func cancellingTheTaskStopsTheListenerAndFreesThePort() async throws {
        let listener = try await RunningListener.start(metrics: AgentMetrics(), health: HealthBoard(backends: []))
        #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/healthz")).status == 200)
        listener.task.cancel()
        let result = await listener.task.result
        if case .failure(let error) = result { Issue.record("the listener threw on cancel: \(error)") }
        await #expect(throws: HTTPClientError.self) {
            _ = try await client.send(HTTPRequest(url: listener.baseURL + "/healthz"))
        }
    }

    @Test func itLogsWhereItListensAndStopsWithoutAnErrorLine() async throws {
        let collected = CollectedLines()
        let logger = AgentLogging.logger(label: "agent.listener", format: .json, level: .info, secrets: LogSecrets(), output: collected.output)
        let listener = try await RunningListener.start(metrics: AgentMetrics(), health: HealthBoard(backends: []), logger: logger)
        #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/metrics")).status == 200)
        await listener.stop()
        let listening = try #require(collected.lines.first { $0.contains("\"message\":\"listening\"") }, "\(collected.lines)")
        #expect(listening.contains("\"port\":\"\(listener.port)\""))
        #expect(!collected.lines.contains { $0.contains("\"level\":\"error\"") }, "\(collected.lines)")
    }

    @Test func aPortInUseIsAClearErrorNotACrash() async throws {
        let first = try await RunningListener.start(metrics: AgentMetrics(), health: HealthBoard(backends: []))
        let second = AgentListener(port: first.port, metrics: AgentMetrics(), health: HealthBoard(backends: []))
        do {
            try await second.run()
            Issue.record("a second listener ran on port \(first.port)")
        } catch let error as ListenerError {
            #expect("\(error)".contains("127.0.0.1:\(first.port)"))
            #expect("\(error)".contains("listener.port"))
        }
        await first.stop()
    }

    @Test func aPortOutOfRangeIsRefusedBeforeBinding() async throws {
        let listener = AgentListener(port: 70000, metrics: AgentMetrics(), health: HealthBoard(backends: []))
        await #expect(throws: ListenerError.badPort(70000)) { try await listener.run() }
    }

    @Test func anAddressNotOfThisMachineIsAClearError() async throws {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a host.
        let listener = AgentListener(host: "192.0.2.1", port: 0, metrics: AgentMetrics(), health: HealthBoard(backends: []))
        do {
            try await listener.run()
            Issue.record("the listener served on 192.0.2.1")
        } catch let error as ListenerError {
            #expect("\(error)".contains("192.0.2.1"))
            #expect("\(error)".contains("listener.address"))
        }
    }
}
