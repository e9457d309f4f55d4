import Foundation
import Testing
@testable import HTTPClient

/// Servers that stall, reset, refuse or send too much: each failure comes
/// back as the HTTPClientError that names it, retried only where that helps.
@Suite("libcurl client failures", .enabled(if: LoopbackServer.python3 != nil, LoopbackServer.skipReason))
struct FailureTests {
    @Test func aServerThatNeverAnswersTimesOutAndTheErrorSaysSo() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(timeout: .seconds(1), retry: quickRetries()), environment: [:])
            let error = await httpError { try await client.send(HTTPRequest(url: server.baseURL + "/stall")) }
            #expect(error?.kind == .timedOut(.seconds(1)))
            #expect(error?.attempts == 1, "a timeout after connecting is not retried")
            let text = error.map(String.init(describing:)) ?? ""
            #expect(text.contains("timed out"))
            #expect(text.contains("timeout of 1 s"))
            #expect(text.contains("GET \(server.baseURL)/stall"))
            #expect(try await server.hits("/stall").count == 1)
        }
    }

    @Test func aBodyThatStopsComingIsAbandonedAsStalled() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(
                options: HTTPClientOptions(timeout: .seconds(60), stallWindow: .seconds(1), retry: quickRetries()),
                environment: [:])
            let error = await httpError { try await client.send(HTTPRequest(url: server.baseURL + "/stall-body")) }
            #expect(error?.kind == .stalled(window: .seconds(1), minimumBytesPerSecond: 1))
            #expect(error.map(String.init(describing:))?.contains("stalled") == true)
        }
    }

    @Test func aResetConnectionIsRetriedThenReported() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(retry: quickRetries(3)), environment: [:])
            let error = await httpError { try await client.send(HTTPRequest(url: server.baseURL + "/reset")) }
            #expect(error?.kind == .connectionLost)
            #expect(error?.attempts == 3)
            #expect(error.map(String.init(describing:))?.contains("after 3 attempts") == true)
            #expect(try await server.hits("/reset").count == 3)
        }
    }

    @Test func aResetPOSTIsNotSentAgain() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(retry: quickRetries(3)), environment: [:])
            let error = await httpError {
                try await client.send(HTTPRequest(method: "POST", url: server.baseURL + "/reset", body: Array("ticket note".utf8)))
            }
            #expect(error?.kind == .connectionLost)
            #expect(error?.attempts == 1)
            #expect(try await server.hits("/reset").count == 1)
        }
    }

    @Test func aPOSTThatSaysItIsIdempotentIsRetried() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(retry: quickRetries(2)), environment: [:])
            _ = await httpError {
                try await client.send(HTTPRequest(method: "POST", url: server.baseURL + "/reset", body: Array("{}".utf8), idempotent: true))
            }
            #expect(try await server.hits("/reset").count == 2)
        }
    }

    @Test func nothingListeningIsRetriedThenReportedAsCannotConnect() async throws {
        let port = try closedLoopbackPort()
        let client = CurlHTTPClient(options: HTTPClientOptions(retry: quickRetries(2)), environment: [:])
        let error = await httpError { try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/api")) }
        #expect(error?.kind == .cannotConnect)
        #expect(error?.attempts == 2)
        #expect(error.map(String.init(describing:))?.contains("listens at that host and port") == true)
    }

    @Test func aConnectionThatNeverCompletesIsAConnectTimeoutAndRetried() async throws {
        let listener = try FullListener()
        defer { listener.close() }
        let client = CurlHTTPClient(
            options: HTTPClientOptions(connectTimeout: .milliseconds(300), retry: quickRetries(2)), environment: [:])
        let error = await httpError { try await client.send(HTTPRequest(url: "http://127.0.0.1:\(listener.port)/api")) }
        #expect(error?.kind == .connectTimedOut(.milliseconds(300)))
        #expect(error?.attempts == 2)
        #expect(error.map(String.init(describing:))?.contains("connect timeout of 300 ms") == true)
    }

    @Test func aBodyOverTheCapStopsTheTransfer() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(maxResponseBytes: 1000, retry: quickRetries()), environment: [:])
            let announced = await httpError { try await client.send(HTTPRequest(url: server.baseURL + "/bytes/5000")) }
            #expect(announced?.kind == .responseTooLarge(limit: 1000))
            #expect(announced?.attempts == 1)
            #expect(announced.map(String.init(describing:))?.contains("size cap of 1000 bytes") == true)
            // No Content-Length: the cap is enforced on the bytes as they come.
            let unannounced = await httpError { try await client.send(HTTPRequest(url: server.baseURL + "/bytes-unsized/5000000")) }
            #expect(unannounced?.kind == .responseTooLarge(limit: 1000))
        }
    }

    @Test func aBodyExactlyAtTheCapIsKept() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(maxResponseBytes: 1000), environment: [:])
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/bytes-unsized/1000"))
            #expect(response.body.count == 1000)
        }
    }
}
