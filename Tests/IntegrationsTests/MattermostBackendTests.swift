import Annotation
import Foundation
import HTTPClient
@testable import Integrations
import Testing

/// The Mattermost back-end's REST side against `Servers/mattermost.py`
/// (the API v4 as mattermost/mattermost answers it): a reply posted in
/// the right thread (its root, also when the webhook came for a reply),
/// the agent's earlier post found by its marker across thread pages, a
/// webhook's answer post found too, its own REST posts dropped by author,
/// and 401, 429 with Retry-After and 5xx each turned into what they mean.
@Suite struct MattermostBackendTests {
    static let token = "xn7gk3cd1fy8mqhbo5j5hq7yro"
    static let apiToken = "mm-test-api-token"
    static let bot = "sipdiagbot0000000000000000"
    static let channel = "chan0000000000000000000000"
    static let callID = "3b4c5d6f-603@192.168.1.50"

    struct World {
        let server: LocalServer
        let backend: MattermostBackend
    }

    static func world(answerWithin: Duration = .seconds(2)) throws -> World {
        let server = try LocalServer("mattermost.py", ["--token", apiToken, "--bot-user", bot])
        let backend = try MattermostBackend(
            settings: .init(name: "mm-test", webhookToken: ResolvedSecret(token), serverURL: server.base + "/api/v4/",
                            apiToken: ResolvedSecret(apiToken), answerWithin: answerWithin),
            client: TestClient.curl)
        return World(server: server, backend: backend)
    }

    /// A post someone made (or a webhook answer), as the server holds it.
    @discardableResult
    static func makePost(_ server: LocalServer, message: String, root: String = "", user: String = "alice00000000000000000000a",
                         fromWebhook: Bool = false) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: ["channel_id": channel, "root_id": root, "user_id": user,
                                                               "message": message, "from_webhook": fromWebhook])
        let answer = try await TestClient.curl.send(HTTPRequest(method: "POST", url: server.base + "/_test/post",
                                                                headers: [HTTPHeader("Content-Type", "application/json")], body: Array(body)))
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
    }

    static func posts(_ server: LocalServer) async throws -> [[String: Any]] {
        let answer = try await TestClient.curl.send(HTTPRequest(url: server.base + "/_test/posts"))
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [[String: Any]])
    }

    static func thread(_ postID: String) -> ConversationThread {
        ConversationThread(id: "\(channel) \(postID)", texts: [])
    }

    static func rendered(_ text: String, thread: String = "t") -> RenderedPost {
        let marker = AnnotationMarker(backend: "mm-test", thread: thread, callIDs: [callID], engineVersion: 1).text
        return RenderedPost(plain: text + "\n" + marker, formatted: "**\(text)**\n\n`\(marker)`", markup: .markdown, marker: marker)
    }

    @Test func aLateReplyIsPostedInTheThreadOfTheTriggeringPost() async throws {
        let w = try Self.world()
        let root = try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)")
        let rootID = try #require(root["id"] as? String)
        let id = try await w.backend.post(Self.rendered("The callee rejected it"), in: Self.thread(rootID), idempotencyKey: "k")
        let created = try await Self.posts(w.server).first { $0["id"] as? String == id }
        #expect(created?["root_id"] as? String == rootID)
        #expect(created?["user_id"] as? String == Self.bot)
        #expect((created?["message"] as? String)?.hasPrefix("**The callee rejected it**") == true)
        let sent = try await w.server.received(through: TestClient.curl).filter { $0.method == "POST" }
        #expect(sent.count == 1)
        #expect(sent.first?.headers["authorization"] == "Bearer \(Self.apiToken)")
        #expect(sent.first?.json["channel_id"] as? String == Self.channel)
    }

    @Test func aReplyToAReplyGoesToTheThreadsRoot() async throws {
        let w = try Self.world()
        let root = try #require(try await Self.makePost(w.server, message: "calls failing")["id"] as? String)
        let reply = try #require(try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)", root: root)["id"] as? String)
        let id = try await w.backend.post(Self.rendered("x"), in: Self.thread(reply), idempotencyKey: "k")
        let created = try await Self.posts(w.server).first { $0["id"] as? String == id }
        #expect(created?["root_id"] as? String == root)
    }

    @Test func aWebhookStillWaitingGetsTheReplyAndNothingIsPosted() async throws {
        let w = try Self.world(answerWithin: .seconds(25))
        let root = try #require(try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)")["id"] as? String)
        let body = MattermostWebhookTests.form(MattermostWebhookTests.fields(text: "Call-ID: \(Self.callID)", postID: root))
        // Received "in an hour": a loaded machine cannot run the budget out.
        let request = MattermostWebhookTests.request(body, receivedAt: Date() + 3_600)
        guard case .delivered(let delivery, let first) = await w.backend.receive(request),
              let thread = delivery.threads.first else {
            Issue.record("not delivered")
            return
        }
        #expect(thread.id == "\(Self.channel) \(root)")
        async let answered = w.backend.answer(first, after: delivery, recording: .new)
        try await Task.sleep(for: .milliseconds(100))
        async let posted = w.backend.post(Self.rendered("In the answer"), in: thread, idempotencyKey: "k")
        #expect(String(decoding: await answered.body, as: UTF8.self).contains("In the answer"))
        await w.backend.answerSent(after: delivery, written: true)
        #expect(try await posted.hasPrefix("webhook-answer:"))
        #expect(try await w.server.received(through: TestClient.curl).filter { $0.method == "POST" }.isEmpty)
    }

    @Test func aWebhookForAReplyIsAnsweredThroughTheAPIInTheRootsThread() async throws {
        let w = try Self.world(answerWithin: .seconds(3))
        let root = try #require(try await Self.makePost(w.server, message: "calls failing")["id"] as? String)
        let reply = try #require(try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)", root: root)["id"] as? String)
        let body = MattermostWebhookTests.form(MattermostWebhookTests.fields(text: "Call-ID: \(Self.callID)", postID: reply))
        guard case .delivered(let delivery, let first) = await w.backend.receive(MattermostWebhookTests.request(body)),
              let thread = delivery.threads.first else {
            Issue.record("not delivered")
            return
        }
        async let answered = w.backend.answer(first, after: delivery, recording: .new)
        let id = try await w.backend.post(Self.rendered("x"), in: thread, idempotencyKey: "k")
        #expect(!id.hasPrefix("webhook-answer:"))
        // A comment on a reply would be refused by the server: no text in the answer.
        #expect(await answered.body.isEmpty)
        #expect(try await Self.posts(w.server).first { $0["id"] as? String == id }?["root_id"] as? String == root)
    }

    @Test func theAgentsEarlierPostIsFoundByItsMarkerAcrossThreadPages() async throws {
        let w = try Self.world()
        let root = try #require(try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)")["id"] as? String)
        for i in 0..<130 { try await Self.makePost(w.server, message: "chatter \(i)", root: root) }
        let post = Self.rendered("found me")
        // A person quoting the marker is not the agent.
        try await Self.makePost(w.server, message: "he said \(post.marker)", root: root)
        #expect(try await w.backend.findPost(marker: post.marker, in: Self.thread(root)) == nil)
        let id = try await w.backend.post(post, in: Self.thread(root), idempotencyKey: "k")
        #expect(try await w.backend.findPost(marker: post.marker, in: Self.thread(root)) == id)
        let pages = try await w.server.received(through: TestClient.curl).filter { $0.path.contains("/thread") }
        // Two look-ups, each a first page and at least one more from where it ended.
        #expect(pages.filter { !$0.path.contains("fromPost=") }.count == 2)
        #expect(pages.filter { $0.path.contains("fromPost=") && $0.path.contains("fromCreateAt=") }.count >= 2)
    }

    @Test func aWebhookAnswersPostIsFoundByItsMarker() async throws {
        let w = try Self.world()
        let root = try #require(try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)")["id"] as? String)
        let post = Self.rendered("by the hook")
        let made = try await Self.makePost(w.server, message: post.formatted ?? "", root: root, user: "hookcreator000000000000000", fromWebhook: true)
        #expect(try await w.backend.findPost(marker: post.marker, in: Self.thread(root)) == made["id"] as? String)
        #expect(try await w.backend.findPost(marker: post.marker, in: Self.thread("gone000000000000000000000")) == nil)
    }

    @Test func theAgentsOwnRESTPostsThatTriggerTheHookGetNoReply() async throws {
        let w = try Self.world()
        let body = MattermostWebhookTests.form(MattermostWebhookTests.fields(text: "Call-ID: \(Self.callID)", user: Self.bot))
        guard case .answered(let answer) = await w.backend.receive(MattermostWebhookTests.request(body)) else {
            Issue.record("the agent's own post was taken as a question")
            return
        }
        #expect(answer.body.isEmpty)
    }

    @Test func aRefusedTokenSaysToCheckIt() async throws {
        let server = try LocalServer("mattermost.py", ["--token", Self.apiToken])
        let backend = try MattermostBackend(
            settings: .init(name: "mm-test", webhookToken: ResolvedSecret(Self.token), serverURL: server.base,
                            apiToken: ResolvedSecret("wr0ng-t0ken-4711")),
            client: TestClient.curl)
        let root = try #require(try await Self.makePost(server, message: "Call-ID: \(Self.callID)")["id"] as? String)
        do {
            _ = try await backend.send(Self.rendered("x"), in: Self.thread(root))
            Issue.record("posted with a wrong token")
        } catch {
            guard case .unauthorized = error else { Issue.record("not unauthorized: \(error)"); return }
            #expect(error.description.contains("api_token_env"))
            #expect(!error.description.contains("wr0ng-t0ken-4711"))
        }
    }

    @Test func a429WithRetryAfterIsWaitedOutAndThePostLandsOnce() async throws {
        let w = try Self.world()
        let root = try #require(try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)")["id"] as? String)
        try await w.server.control("/_test/fail", #"{"method":"POST","path":"/api/v4/posts","status":429,"retry_after":1,"count":1}"#,
                                   through: TestClient.curl)
        let started = ContinuousClock.now
        let id = try await w.backend.post(Self.rendered("x"), in: Self.thread(root), idempotencyKey: "k")
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        let posts = try await w.server.received(through: TestClient.curl).filter { $0.method == "POST" }
        #expect(posts.count == 2)
        #expect(try await Self.posts(w.server).filter { $0["user_id"] as? String == Self.bot }.map { $0["id"] as? String } == [id])
    }

    @Test func aRateLimitThatOutlastsTheRetriesSaysHowLongToWait() async throws {
        let w = try Self.world()
        let root = try #require(try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)")["id"] as? String)
        try await w.server.control("/_test/fail", #"{"method":"POST","path":"/api/v4/posts","status":429,"retry_after":120,"count":5}"#,
                                   through: TestClient.curl)
        do {
            _ = try await w.backend.send(Self.rendered("x"), in: Self.thread(root))
            Issue.record("posted through a rate limit")
        } catch {
            #expect(error == .rateLimited(server: w.server.base, path: "/api/v4/posts", retryAfter: .seconds(120)))
        }
    }

    @Test func a5xxOnAReadIsRetriedButOnThePostIsNot() async throws {
        let w = try Self.world()
        let root = try #require(try await Self.makePost(w.server, message: "Call-ID: \(Self.callID)")["id"] as? String)
        try await w.server.control("/_test/fail", #"{"method":"GET","path":"/api/v4/posts/","status":502,"count":1}"#, through: TestClient.curl)
        try await w.server.control("/_test/fail", #"{"method":"POST","path":"/api/v4/posts","status":500,"count":1}"#, through: TestClient.curl)
        do {
            _ = try await w.backend.send(Self.rendered("x"), in: Self.thread(root))
            Issue.record("a 500 on the post was not reported")
        } catch {
            guard case .serverError(_, let path, let status, _) = error else { Issue.record("not a server error: \(error)"); return }
            #expect(path == "/api/v4/posts" && status == 500)
        }
        let sent = try await w.server.received(through: TestClient.curl)
        #expect(sent.filter { $0.method == "GET" }.count == 2)
        #expect(sent.filter { $0.method == "POST" }.count == 1)
        #expect(try await Self.posts(w.server).filter { $0["user_id"] as? String == Self.bot }.isEmpty)
    }
}
