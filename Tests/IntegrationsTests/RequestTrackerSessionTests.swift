import Foundation
import HTTPClient
@testable import Integrations
import Testing

/// Every request the agent sends, with the client's answer: what the RT
/// back-end put in its headers.
final class RecordingHTTPClient: HTTPSending, @unchecked Sendable {
    private let base: any HTTPSending
    private let lock = NSLock()
    private var sent: [HTTPRequest] = []

    init(_ base: any HTTPSending) { self.base = base }

    var requests: [HTTPRequest] { lock.withLock { sent } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { sent.append(request) }
        return try await base.send(request)
    }
}

/// An answer for every request, counted: RT's home page as an RT that
/// starts no session answers it.
struct FixedAnswerClient: HTTPSending {
    let answer: HTTPResponse
    let count = Counter()

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        var value: Int { lock.withLock { n } }
        func add() { lock.withLock { n += 1 } }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        count.add()
        return answer
    }
}

/// Answers by what a request carries: how an RT behaves whose session
/// ended in a way that redirects to its login page.
struct ScriptedRTClient: HTTPSending {
    let answer: @Sendable (HTTPRequest) -> HTTPResponse
    let log = Log()

    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [HTTPRequest] = []
        var requests: [HTTPRequest] { lock.withLock { items } }
        func add(_ r: HTTPRequest) { lock.withLock { items.append(r) } }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        log.add(request)
        return answer(request)
    }
}

extension HTTPRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The RT back-end reuses RT's web session instead of having RT check its
/// token with bcrypt on every request (docs/request-tracker.md, "Speed").
@Suite struct RequestTrackerSessionTests {
    @Test func theSessionCookieIsTakenFromRTsSetCookieAmongOthers() {
        let headers = [HTTPHeader("Set-Cookie", "other=1; path=/"),
                       HTTPHeader("set-cookie", "RT_SID_agent-test.8080=4c2f9e; path=/rt; HttpOnly")]
        #expect(RequestTrackerSession.sessionCookie(in: headers) == "RT_SID_agent-test.8080=4c2f9e")
        #expect(RequestTrackerSession.sessionCookie(in: [HTTPHeader("Set-Cookie", "RT_SID_x=; path=/")]) == nil)
        #expect(RequestTrackerSession.sessionCookie(in: [HTTPHeader("Content-Type", "text/html")]) == nil)
    }

    @Test func anRTThatStartsNoSessionIsAskedOnceAndTheTokenUsedAlone() async {
        let client = FixedAnswerClient(answer: HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "text/html")]))
        let session = RequestTrackerSession(server: "http://rt.invalid/rt", user: "agent", token: ResolvedSecret("1-2-x"), client: client)
        for _ in 0..<5 { #expect(await session.cookieHeader() == nil) }
        #expect(client.count.value == 1)
    }

    @Test func aSessionIsRenewedAfterItsLifetime() async {
        let client = FixedAnswerClient(answer: HTTPResponse(status: 200, headers: [HTTPHeader("Set-Cookie", "RT_SID_a.1=abc; path=/")]))
        let clock = TestClock()
        let session = RequestTrackerSession(server: "http://rt.invalid/rt", user: "agent", token: ResolvedSecret("1-2-x"), client: client,
                                            now: { clock.now })
        #expect(await session.cookieHeader() == "RT_SID_a.1=abc")
        #expect(await session.cookieHeader() == "RT_SID_a.1=abc")
        // The home page, then the check of the cookie.
        #expect(client.count.value == 2)
        clock.now = clock.now.addingTimeInterval(RequestTrackerSession.lifetime + 1)
        #expect(await session.cookieHeader() == "RT_SID_a.1=abc")
        #expect(client.count.value == 4)
    }

    @Test func aCookieMetWithALoginRedirectIsDroppedAndTheRequestSentWithTheTokenAlone() async throws {
        let client = ScriptedRTClient { request in
            if request.url.hasSuffix("/rt/") {
                return HTTPResponse(status: 200, headers: [HTTPHeader("Set-Cookie", "RT_SID_a.1=abc; path=/rt")])
            }
            if request.url.contains("/REST/2.0/user/") {
                return HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")],
                                    body: Array(#"{"id":7,"Name":"agent","Timezone":"UTC"}"#.utf8))
            }
            if request.header("Cookie") != nil { return HTTPResponse(status: 302, headers: [HTTPHeader("Location", "/rt/")]) }
            return HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")],
                                body: Array(#"{"id":"12","Subject":"s"}"#.utf8))
        }
        let rest = RequestTrackerREST(server: "http://rt.invalid/rt", user: "agent", token: ResolvedSecret("1-2-x"), client: client)
        struct Ticket: Decodable { var Subject: String }
        let first = try await rest.get(Ticket.self, "/ticket/12", rights: "ShowTicket")
        #expect(first.Subject == "s")
        let second = try await rest.get(Ticket.self, "/ticket/12", rights: "ShowTicket")
        #expect(second.Subject == "s")
        let tickets = client.log.requests.filter { $0.url.hasSuffix("/ticket/12") }
        // With the cookie (redirected), again without; then without at once.
        #expect(tickets.map { $0.header("Cookie") != nil } == [true, false, false])
        #expect(tickets.allSatisfy { $0.header("Authorization") == "token 1-2-x" })
    }

    final class TestClock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_000_000)
    }
}

/// Against the real RT: the facts the session rests on.
@Suite(.enabled(if: RequestTrackerTestServer.isAvailable, "needs a real RT: Scripts/ci/rt.sh start, then set -a; . /tmp/agent-test-rt/env"))
struct RequestTrackerWebSessionTests {
    @Test func theBackendSendsTheSessionRTStartedAndRTTakesItWithoutTheToken() async throws {
        let rt = try RequestTrackerTestServer()
        let queue = try await rt.makeQueue()
        let ticket = try await rt.openTicket(queue: queue, subject: "session", content: "Call-ID: 5e1@192.0.2.7")
        let recording = RecordingHTTPClient(rt.client)
        _ = try await rt.backend(queue: queue, client: recording).poll(after: nil)

        // The session's own check of its cookie carries no token; every
        // other REST2 request carries both.
        let rest = recording.requests.filter { $0.url.contains("/REST/2.0/") && $0.header("Authorization") != nil }
        #expect(!rest.isEmpty)
        let cookies = Set(rest.compactMap { $0.header("Cookie") })
        #expect(cookies.count == 1)
        let cookie = try #require(cookies.first)
        #expect(cookie.hasPrefix("RT_SID_"))
        #expect(rest.allSatisfy { $0.header("Cookie") == cookie && $0.header("Authorization")?.hasPrefix("token ") == true })
        #expect(recording.requests.filter { $0.header("Authorization") == nil }.map(\.url) == [rt.url + "/REST/2.0/user/" + rt.agentUser])

        // The cookie alone is the agent: a read, and a comment (with RT as
        // the referrer, which RT's CSRF check wants of a POST).
        let read = try await rt.client.send(HTTPRequest(url: rt.url + "/REST/2.0/ticket/\(ticket)", headers: [
            HTTPHeader("Cookie", cookie), HTTPHeader("Accept", "application/json")]))
        #expect(read.status == 200)
        let post = try await rt.client.send(HTTPRequest(method: "POST", url: rt.url + "/REST/2.0/ticket/\(ticket)/comment", headers: [
            HTTPHeader("Cookie", cookie), HTTPHeader("Referer", rt.url + "/"), HTTPHeader("Content-Type", "application/json")],
            body: Array(#"{"Content":"by session","ContentType":"text/plain"}"#.utf8)))
        #expect(post.status == 201)
        let comments = try await rt.history(ticket).filter { $0.type == "Comment" }
        #expect(comments.map(\.creator) == [rt.agentUser])
        // Without the referrer RT refuses the cookie for a POST: why the
        // agent names it.
        let refused = try await rt.client.send(HTTPRequest(method: "POST", url: rt.url + "/REST/2.0/ticket/\(ticket)/comment", headers: [
            HTTPHeader("Cookie", cookie), HTTPHeader("Content-Type", "application/json")],
            body: Array(#"{"Content":"no referrer","ContentType":"text/plain"}"#.utf8)))
        #expect(refused.status == 403)
    }

    @Test func aSessionRTNoLongerKnowsFallsThroughToTheToken() async throws {
        let rt = try RequestTrackerTestServer()
        let queue = try await rt.makeQueue()
        _ = try await rt.openTicket(queue: queue, subject: "stale", content: "Call-ID: 5e2@192.0.2.7")
        let port = URLComponents(string: rt.url)?.port.map(String.init) ?? "80"
        let answer = try await rt.client.send(HTTPRequest(
            url: rt.url + "/REST/2.0/tickets?query=" + "Queue='\(queue)'".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
            headers: [HTTPHeader("Cookie", "RT_SID_agent-test.\(port)=00000000000000000000000000000000"),
                      HTTPHeader("Authorization", "token " + rt.token), HTTPHeader("Accept", "application/json")]))
        #expect(answer.status == 200)
        let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        #expect((object?["items"] as? [Any])?.count == 1)
    }

    @Test func withoutTheWebSessionOnlyTheTokenIsSent() async throws {
        let rt = try RequestTrackerTestServer()
        let queue = try await rt.makeQueue()
        _ = try await rt.openTicket(queue: queue, subject: "token only", content: "Call-ID: 5e3@192.0.2.7")
        let recording = RecordingHTTPClient(rt.client)
        var settings = try rt.backend(queue: queue).settings
        settings.reuseWebSession = false
        let poll = try await RequestTrackerBackend(settings: settings, client: recording).poll(after: nil)
        #expect(poll.threads.count == 1)
        #expect(!recording.requests.isEmpty)
        #expect(recording.requests.allSatisfy { $0.header("Cookie") == nil && $0.url.contains("/REST/2.0/") })
    }
}
