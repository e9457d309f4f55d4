import Annotation
import Foundation
import HTTPClient
import Integrations
import Testing

/// The RT back-end through Servers/fault_proxy.py in front of the real RT:
/// the first requests are answered 500 or 429 (with Retry-After) by the
/// proxy, and the back-end gets through them on the HTTP client's retries;
/// a comment answered 500 is not sent again, since RT may have added it.
// Needs the real RT: without AGENT_TEST_RT_URL these tests are skipped.
@Suite(.enabled(if: RequestTrackerTestServer.isAvailable, "needs a real RT: Scripts/ci/rt.sh start, then set -a; . /tmp/agent-test-rt/env"))
struct RequestTrackerFaultTests {
    struct Stats: Decodable {
        var faults: Int
        var forwarded: Int
        var requests: [String]
    }

    /// The proxy in front of the test RT, failing the first `fail` requests with `status`.
    final class Proxy {
        let server: LocalServer
        let rtPath: String

        init(rt: RequestTrackerTestServer, fail: Int, status: Int, retryAfter: Int? = nil) throws {
            let url = try #require(URL(string: rt.url))
            let upstream = "\(url.scheme ?? "http")://\(url.host ?? "127.0.0.1"):\(url.port ?? 80)"
            rtPath = url.path
            server = try LocalServer("fault_proxy.py", ["--upstream", upstream, "--fail", String(fail), "--status", String(status)]
                + (retryAfter.map { ["--retry-after", String($0)] } ?? []))
        }

        var url: String { server.base + rtPath }

        func stats() async throws -> Stats {
            let response = try await TestClient.curl.send(HTTPRequest(url: server.base + "/_test/stats"))
            return try JSONDecoder().decode(Stats.self, from: Data(response.body))
        }

        func arm(fail: Int, status: Int, retryAfter: Int? = nil) async throws {
            let json = "{\"fail\":\(fail),\"status\":\(status),\"retry_after\":\(retryAfter.map(String.init) ?? "null")}"
            try await server.control("/_test/arm", json, through: TestClient.curl)
        }
    }

    @Test func aPollGetsThroughTwo500sOnRetries() async throws {
        let rt = try RequestTrackerTestServer()
        let queue = try await rt.makeQueue()
        let ticket = try await rt.openTicket(queue: queue, subject: "through the proxy", content: "Call-ID: proxy-500@192.0.2.1")
        let proxy = try Proxy(rt: rt, fail: 2, status: 500)

        let poll = try await rt.backend(queue: queue, baseURL: proxy.url).poll(after: nil)
        #expect(poll.threads.map(\.id) == [String(ticket)])
        #expect(poll.threads.first?.texts.first?.body == "Call-ID: proxy-500@192.0.2.1")
        let stats = try await proxy.stats()
        #expect(stats.faults == 2)
        // The first request was asked three times: twice failed, then forwarded.
        #expect(stats.requests.count >= 3)
        #expect(stats.requests[0] == stats.requests[1] && stats.requests[1] == stats.requests[2])
    }

    @Test func a429WithRetryAfterIsWaitedOutAndACommentGetsThrough() async throws {
        let rt = try RequestTrackerTestServer()
        let queue = try await rt.makeQueue()
        _ = try await rt.openTicket(queue: queue, subject: "rate limited", content: "Call-ID: proxy-429@192.0.2.2")
        let proxy = try Proxy(rt: rt, fail: 0, status: 429)
        let backend = try rt.backend(queue: queue, baseURL: proxy.url)
        let thread = try #require(try await backend.poll(after: nil).threads.first)

        try await proxy.arm(fail: 1, status: 429, retryAfter: 1)
        let marker = "sipdiag:test-" + UUID().uuidString.prefix(8).lowercased()
        let began = Date()
        let posted = try await backend.post(RenderedPost(plain: "busy\n\(marker)", formatted: "<p>busy</p><p>\(marker)</p>",
                                                         markup: .html, marker: marker),
                                            in: thread, idempotencyKey: marker)
        #expect(Date().timeIntervalSince(began) >= 0.9)
        let stats = try await proxy.stats()
        #expect(stats.faults == 1)
        #expect(stats.requests.filter { $0.hasSuffix("/comment") }.count == 2)
        #expect(try await backend.findPost(marker: marker, in: thread) == posted)
    }

    @Test func a403NamesTheRightsTheUserNeeds() async throws {
        let rt = try RequestTrackerTestServer()
        let queue = try await rt.makeQueue()
        _ = try await rt.openTicket(queue: queue, subject: "rights", content: "Call-ID: proxy-403@192.0.2.4")
        let proxy = try Proxy(rt: rt, fail: 0, status: 403)
        let backend = try rt.backend(queue: queue, baseURL: proxy.url)
        let thread = try #require(try await backend.poll(after: nil).threads.first)

        try await proxy.arm(fail: 1, status: 403)
        let error = await thrown {
            try await backend.post(RenderedPost(plain: "x", formatted: nil, markup: .plain, marker: "sipdiag:x"), in: thread, idempotencyKey: "x")
        }
        #expect(error as? RequestTrackerError == .forbidden(server: proxy.url, user: rt.agentUser, path: "/ticket/\(thread.id)/comment",
                                                            rights: "CommentOnTicket", message: "fault_proxy: injected 403"))
        #expect("\(error!)".contains("grant that user CommentOnTicket"))
        #expect(try await proxy.stats().requests.count == 1)
    }

    @Test func aCommentAnswered500IsNotSentAgainAndTheErrorSaysRTFailed() async throws {
        let rt = try RequestTrackerTestServer()
        let queue = try await rt.makeQueue()
        _ = try await rt.openTicket(queue: queue, subject: "server error", content: "Call-ID: proxy-post@192.0.2.3")
        let proxy = try Proxy(rt: rt, fail: 0, status: 500)
        let backend = try rt.backend(queue: queue, baseURL: proxy.url)
        let thread = try #require(try await backend.poll(after: nil).threads.first)

        try await proxy.arm(fail: 1, status: 500)
        let error = await thrown {
            try await backend.post(RenderedPost(plain: "x", formatted: nil, markup: .plain, marker: "sipdiag:x"), in: thread, idempotencyKey: "x")
        }
        guard case .serverError(_, let path, 500, _)? = error as? RequestTrackerError else {
            Issue.record("expected serverError, got \(String(describing: error))")
            return
        }
        #expect(path == "/ticket/\(thread.id)/comment")
        #expect(try await proxy.stats().requests.count == 1)
    }
}
