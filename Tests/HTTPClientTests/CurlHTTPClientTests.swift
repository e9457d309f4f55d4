import Foundation
import Testing
@testable import HTTPClient

@Suite("libcurl client against a loopback server", .enabled(if: LoopbackServer.python3 != nil, LoopbackServer.skipReason))
struct CurlHTTPClientTests {
    let client = CurlHTTPClient(options: HTTPClientOptions(retry: quickRetries()), environment: [:])

    @Test func getSendsTheQueryAndHeadersGiven() async throws {
        try await LoopbackServer.with { server async throws in
            let response = try await client.send(HTTPRequest(
                url: server.baseURL + "/echo?sid=a%40b&n=1", headers: [HTTPHeader("X-Trace", "leg-2")]))
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            let echo = try Echo(response)
            #expect(echo.method == "GET")
            #expect(echo.target == "/echo?sid=a%40b&n=1")
            #expect(echo.header("X-Trace") == "leg-2")
            #expect(echo.header("User-Agent") == "agentctl")
            #expect(echo.body == "")
        }
    }

    @Test func postSendsTheBodyWithItsContentTypeAndNoExpect() async throws {
        try await LoopbackServer.with { server async throws in
            let json = #"{"param":{"search":{"1_call":{"sid":"89f3a1b2"}}}}"#
            let response = try await client.send(HTTPRequest(
                method: "POST", url: server.baseURL + "/echo",
                headers: [HTTPHeader("Content-Type", "application/json")], body: Array(json.utf8)))
            let echo = try Echo(response)
            #expect(echo.method == "POST")
            #expect(echo.body == json)
            #expect(echo.header("Content-Type") == "application/json")
            #expect(echo.header("Content-Length") == "\(json.utf8.count)")
            #expect(echo.header("Expect") == nil)
        }
    }

    @Test func aBodyWithoutContentTypeIsNotLabelledAForm() async throws {
        try await LoopbackServer.with { server async throws in
            let response = try await client.send(HTTPRequest(method: "POST", url: server.baseURL + "/echo", body: Array("raw".utf8)))
            let echo = try Echo(response)
            #expect(echo.body == "raw")
            #expect(echo.header("Content-Type") == nil)
        }
    }

    @Test func putAndDeleteGoOutWithTheirMethods() async throws {
        try await LoopbackServer.with { server async throws in
            let put = try Echo(try await client.send(HTTPRequest(method: "PUT", url: server.baseURL + "/echo", body: Array("v".utf8))))
            #expect(put.method == "PUT")
            #expect(put.body == "v")
            let delete = try Echo(try await client.send(HTTPRequest(method: "DELETE", url: server.baseURL + "/echo")))
            #expect(delete.method == "DELETE")
            #expect(delete.body == "")
        }
    }

    @Test func anErrorStatusIsReturnedNotThrownAndNotRetried() async throws {
        try await LoopbackServer.with { server async throws in
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/status/404"))
            #expect(response.status == 404)
            #expect(String(decoding: response.body, as: UTF8.self) == "status 404\n")
            #expect(try await server.hits("/status/404").count == 1)
        }
    }

    /// Forty answers that each take a second and a half, all in flight at
    /// once: the server sees them together, and the process does not grow a
    /// thread per request.
    @Test func manyRequestsAreInFlightAtOnceWithoutAThreadEach() async throws {
        try await LoopbackServer.with { server async throws in
            let count = 40
            let before = threadCount()
            let sampler = Task { () -> Int in
                var most = 0
                while !Task.isCancelled {
                    most = max(most, threadCount())
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return most
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<count {
                    group.addTask { try await client.send(HTTPRequest(url: server.baseURL + "/slow/1500")).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            sampler.cancel()
            let mostThreads = await sampler.value
            #expect(statuses == Array(repeating: 200, count: count))
            let concurrency = try await client.send(HTTPRequest(url: server.baseURL + "/concurrency"))
            let most = try JSONDecoder().decode([String: Int].self, from: Data(concurrency.body))["max"]
            #expect(most == count, "the server saw at most \(most ?? 0) of \(count) requests at once")
            // A thread per request would add 40; other tests running in
            // parallel start a few of their own, hence the margin.
            if before > 0 {
                #expect(mostThreads - before < count / 2, "threads went from \(before) to \(mostThreads)")
            }
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await LoopbackServer.with { server async throws in
            let loop = CurlMultiLoop(name: "curl-multi-test")
            defer { loop.stop() }
            let stalling = CurlHTTPClient(options: HTTPClientOptions(timeout: .seconds(120)), environment: [:], loop: loop)
            let task = Task { try await stalling.send(HTTPRequest(url: server.baseURL + "/stall")) }
            // Cancel once the request is at the server, so what is cancelled is a transfer in flight.
            // Generous and ended by the condition: on two busy cores the
            // request may take long to reach the server.
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline, try await server.hits("/stall").isEmpty || loop.transfersInFlight != 1 {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(loop.transfersInFlight == 1)
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(loop.transfersInFlight == 0)
        }
    }

    @Test func cancellingTheTaskEndsAWaitForRetryAfter() async throws {
        try await LoopbackServer.with { server async throws in
            let patient = CurlHTTPClient(
                options: HTTPClientOptions(retry: RetryPolicy(maxRetryAfter: .seconds(600))), environment: [:])
            let task = Task { try await patient.send(HTTPRequest(url: server.baseURL + "/retry-after-seconds/300")) }
            for _ in 0..<100 where try await server.hits("/retry-after-seconds/300").isEmpty {
                try await Task.sleep(for: .milliseconds(50))
            }
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(try await server.hits("/retry-after-seconds/300").count == 1)
        }
    }
}

/// The process's threads, from /proc (0 where there is no /proc).
func threadCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
}
