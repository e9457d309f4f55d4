import Foundation
import Testing
@testable import HTTPClient

/// 429 and 5xx answers against the loopback server: waits measured by the
/// server's own clock between the attempts it saw.
@Suite("libcurl client retries", .enabled(if: LoopbackServer.python3 != nil, LoopbackServer.skipReason))
struct RetryTests {
    let client = CurlHTTPClient(options: HTTPClientOptions(retry: quickRetries()), environment: [:])

    @Test func retryAfterInSecondsIsWaitedOutThenTheAnswerReturned() async throws {
        try await LoopbackServer.with { server async throws in
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/retry-after-seconds/1"))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "ok after 2 requests\n")
            let times = try await server.hits("/retry-after-seconds/1")
            #expect(times.count == 2)
            if times.count == 2 { #expect(times[1] - times[0] >= 0.95, "waited \(times[1] - times[0]) s of 1 s") }
        }
    }

    @Test func retryAfterAsAnHTTPDateIsWaitedOut() async throws {
        try await LoopbackServer.with { server async throws in
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/retry-after-date/2"))
            #expect(response.status == 200)
            let times = try await server.hits("/retry-after-date/2")
            #expect(times.count == 2)
            // The date has whole seconds: 2 s ahead is at least 1 s after the first answer.
            if times.count == 2 { #expect(times[1] - times[0] >= 0.9, "waited \(times[1] - times[0]) s") }
        }
    }

    @Test func aRetryAfterPastTheCapIsHandedBackNotWaited() async throws {
        try await LoopbackServer.with { server async throws in
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/retry-after-seconds/3600"))
            #expect(response.status == 429)
            #expect(response.header("Retry-After") == "3600")
            #expect(try await server.hits("/retry-after-seconds/3600").count == 1)
        }
    }

    @Test func a503IsRetriedAndTheNextAnswerReturned() async throws {
        try await LoopbackServer.with { server async throws in
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/unavailable-once"))
            #expect(response.status == 200)
            #expect(try await server.hits("/unavailable-once").count == 2)
        }
    }

    @Test func whenEveryAttemptGets503TheLastAnswerIsReturned() async throws {
        try await LoopbackServer.with { server async throws in
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/status/503"))
            #expect(response.status == 503)
            #expect(try await server.hits("/status/503").count == 3)
        }
    }

    @Test func aPOSTIsRetriedOn503ButNotOn500() async throws {
        try await LoopbackServer.with { server async throws in
            let unavailable = try await client.send(HTTPRequest(method: "POST", url: server.baseURL + "/status/503"))
            #expect(unavailable.status == 503)
            #expect(try await server.hits("/status/503").count == 3)
            let failed = try await client.send(HTTPRequest(method: "POST", url: server.baseURL + "/status/500"))
            #expect(failed.status == 500)
            #expect(try await server.hits("/status/500").count == 1)
        }
    }
}
