import Foundation
import HTTPClient
import Logging
import Store
import Testing
import TestSupport
@testable import Agent

/// A listener running in a task on 127.0.0.1 and a free port, stopped by
/// cancelling that task.
struct RunningListener {
    let port: Int
    let task: Task<Void, any Error>
    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func start(metrics: AgentMetrics, health: HealthBoard, logger: Logger = Logger(label: "agent.listener"),
                      storePageCache: (@Sendable () async -> Int64)? = nil) async throws -> RunningListener {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let listener = AgentListener(port: 0, metrics: metrics, health: health, logger: logger, storePageCache: storePageCache)
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

    /// Runs `body` against a started listener and stops it however `body` ends.
    static func with(metrics: AgentMetrics = AgentMetrics(), health: HealthBoard = HealthBoard(backends: []), logger: Logger = Logger(label: "agent.listener"),
                     storePageCache: (@Sendable () async -> Int64)? = nil,
                     _ body: (RunningListener) async throws -> Void) async throws {
        let listener = try await start(metrics: metrics, health: health, logger: logger, storePageCache: storePageCache)
        do {
            try await body(listener)
        } catch {
            await listener.stop()
            throw error
        }
        await listener.stop()
    }
}

struct ListenerTestFailure: Error, CustomStringConvertible {
    var description: String
}

@Suite("Listener: /healthz and /metrics over HTTP on loopback")
struct ListenerHTTPTests {
    let client = CurlHTTPClient(options: HTTPClientOptions(connectTimeout: .seconds(2), timeout: .seconds(120), retry: .never), environment: [:])

    @Test func metricsShowTheStoresPageCacheAsOfTheScrape() async throws {
        let scratch = try Scratch()
        let database = try StoreDatabase(path: scratch.path("agent.sqlite"))
        let journal = database.agentJournal()
        for i in 0..<200 { try journal.saveCursor(String(repeating: "x", count: 2_000), backend: "b\(i)") }
        let bytes = await database.writerPageCacheBytes()
        #expect(bytes > 200 * 2_000)
        try await RunningListener.with(storePageCache: { await database.writerPageCacheBytes() }) { listener in
            let response = try await client.send(HTTPRequest(url: listener.baseURL + "/metrics"))
            let text = String(decoding: response.body, as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix("sipagent_store_page_cache_bytes ") }
            let value = try #require(line.flatMap { Double($0.split(separator: " ").last ?? "") })
            #expect(value >= Double(bytes))
        }
    }

    @Test func healthzAnswers200WithEachBackendsHealthEvenWhileOneFails() async throws {
        let health = HealthBoard(backends: ["rt", "matrix"])
        await health.succeeded("matrix")
        await health.failed("rt", error: "RT answered 500 Internal Server Error", retryAt: Date() + 30)
        try await RunningListener.with(health: health) { (listener: RunningListener) async throws in
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
        }
    }

    @Test func strictHealthzAnswers503WhileABackendFailsAnd200WhenAllAreWell() async throws {
        let health = HealthBoard(backends: ["rt"])
        await health.failed("rt", error: "connection refused")
        try await RunningListener.with(health: health) { (listener: RunningListener) async throws in
            #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/healthz?strict")).status == 503)
            #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/healthz?strict=false")).status == 200)
            #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/healthz")).status == 200)
            await health.succeeded("rt")
            #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/healthz?strict")).status == 200)
        }
    }

    @Test func metricsAnswersPrometheusTextWithItsContentTypeAndCurrentCounts() async throws {
        let metrics = AgentMetrics()
        metrics.register(backend: "rt", kind: .tickets)
        try await RunningListener.with(metrics: metrics, health: HealthBoard(backends: ["rt"])) { (listener: RunningListener) async throws in
            let first = try await client.send(HTTPRequest(url: listener.baseURL + "/metrics"))
            #expect(first.status == 200)
            #expect(first.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(sample(String(decoding: first.body, as: UTF8.self), #"sipagent_tickets_seen_total{backend="rt"}"#) == 0)

            metrics.seen(backend: "rt", kind: .tickets)
            metrics.posted(backend: "rt", secondsSinceSeen: 0.07)
            let second = String(decoding: try await client.send(HTTPRequest(url: listener.baseURL + "/metrics")).body, as: UTF8.self)
            #expect(sample(second, #"sipagent_tickets_seen_total{backend="rt"}"#) == 1)
            #expect(sample(second, #"sipagent_seen_to_posted_seconds_bucket{backend="rt",le="0.1"}"#) == 1)
            #expect(sample(second, #"sipagent_backend_up{backend="rt"}"#) == nil) // not polled yet
        }
    }

    @Test func eachScrapeCarriesTheHealthBoardAsOfThen() async throws {
        let health = HealthBoard(backends: ["rt"])
        try await RunningListener.with(health: health) { (listener: RunningListener) async throws in
            let scrape = { String(decoding: try await client.send(HTTPRequest(url: listener.baseURL + "/metrics")).body, as: UTF8.self) }
            await health.succeeded("rt", at: Date(timeIntervalSince1970: 1_800_000_000))
            #expect(sample(try await scrape(), #"sipagent_backend_up{backend="rt"}"#) == 1)
            await health.failed("rt", error: "connection refused", at: Date(timeIntervalSince1970: 1_800_000_060))
            let text = try await scrape()
            #expect(sample(text, #"sipagent_backend_up{backend="rt"}"#) == 0)
            #expect(sample(text, #"sipagent_backend_last_success_timestamp_seconds{backend="rt"}"#) == 1_800_000_000)
        }
    }

    @Test func anUnknownPathIs404() async throws {
        try await RunningListener.with { (listener: RunningListener) async throws in
            #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/admin")).status == 404)
        }
    }

    @Test func manyScrapesAtOnceAreAllAnswered() async throws {
        let metrics = AgentMetrics()
        try await RunningListener.with(metrics: metrics, health: HealthBoard(backends: ["rt"])) { (listener: RunningListener) async throws in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        metrics.seen(backend: "rt", kind: .tickets)
                        let path = index.isMultiple(of: 2) ? "/metrics" : "/healthz"
                        return try await client.send(HTTPRequest(url: listener.baseURL + path)).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 40))
            let text = String(decoding: try await client.send(HTTPRequest(url: listener.baseURL + "/metrics")).body, as: UTF8.self)
            #expect(sample(text, #"sipagent_tickets_seen_total{backend="rt"}"#) == 40)
        }
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
        var port = 0
        try await RunningListener.with(logger: logger) { (listener: RunningListener) async throws in
            port = listener.port
            #expect(try await client.send(HTTPRequest(url: listener.baseURL + "/metrics")).status == 200)
        }
        let listening = try #require(collected.lines.first { $0.contains("\"message\":\"listening\"") }, "\(collected.lines)")
        #expect(listening.contains("\"port\":\"\(port)\""))
        #expect(!collected.lines.contains { $0.contains("\"level\":\"error\"") }, "\(collected.lines)")
    }

    @Test func aPortInUseIsAClearErrorNotACrash() async throws {
        try await RunningListener.with { (first: RunningListener) async throws in
            let second = AgentListener(port: first.port, metrics: AgentMetrics(), health: HealthBoard(backends: []))
            do {
                try await second.run()
                Issue.record("a second listener ran on port \(first.port)")
            } catch let error as ListenerError {
                #expect("\(error)".contains("127.0.0.1:\(first.port)"))
                #expect("\(error)".contains("listener.port"))
            }
        }
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
