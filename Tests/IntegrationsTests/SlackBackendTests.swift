import Annotation
import Foundation
@testable import Integrations
import Testing

/// The Slack back-end's Web API calls against Servers/slack_web.py: the
/// threaded post (text plus blocks), findPost through
/// conversations.replies' cursor pages, the slash command's answer to its
/// response_url, and Slack's errors: invalid_auth, not_in_channel, 401,
/// 429 with Retry-After held per method, 5xx.
@Suite struct SlackBackendTests {
    static func post(_ marker: AnnotationMarker) -> RenderedPost {
        RenderedPost(plain: "Call a84b@pc33: 486 Busy Here.\n\(marker.text)\n",
                     formatted: "### Call a84b@pc33: 486 Busy Here\n\n```\nINVITE ->\n<- 486\n```\n\nSIP diagnosis agent · `\(marker.text)`\n",
                     markup: .markdown, marker: marker.text)
    }

    static func marker(_ thread: String) -> AnnotationMarker {
        AnnotationMarker(backend: "slack-test", thread: thread, callIDs: ["a84b@pc33"], engineVersion: 1)
    }

    @Test func aPostLandsInTheThreadWithTextAndBlocksAndIsFoundAgain() async throws {
        let slack = try SlackTestServer()
        let backend = try slack.backend()
        let root = try await slack.message(channel: "C0NOC", text: "<@UAGENTBOT> Call-ID: a84b@pc33")
        let thread = ConversationThread(id: "C0NOC \(root)", texts: [])
        let marker = Self.marker(thread.id)
        #expect(try await backend.findPost(marker: marker.text, in: thread) == nil)
        let ts = try await backend.post(Self.post(marker), in: thread, idempotencyKey: marker.id)
        let posts = try await slack.posts()
        #expect(posts.count == 1)
        let posted = try #require(posts.first)
        #expect(posted["channel"] as? String == "C0NOC")
        #expect(posted["thread_ts"] as? String == root)
        #expect(posted["ts"] as? String == ts)
        #expect((posted["text"] as? String)?.contains(marker.text) == true)
        let blocks = try #require(posted["blocks"] as? [[String: Any]])
        let texts = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        #expect(texts.contains { $0.contains("```\nINVITE -&gt;\n&lt;- 486\n```") })
        #expect(try await backend.findPost(marker: marker.text, in: thread) == ts)
        // Another item's marker in the same thread is not this post.
        #expect(try await backend.findPost(marker: Self.marker("other").text, in: thread) == nil)
        // The request carried the bot token as a Bearer header.
        let sent = try await slack.server.received(through: slack.client).first { $0.path == "/api/chat.postMessage" }
        #expect(sent?.headers["authorization"] == "Bearer " + SlackTestServer.token)
    }

    @Test func findPostPagesThroughTheThreadAndIgnoresOthersQuotingTheMarker() async throws {
        let slack = try SlackTestServer()
        let backend = try slack.backend()
        let root = try await slack.message(channel: "C0NOC", text: "Call-ID: a84b@pc33")
        let thread = ConversationThread(id: "C0NOC \(root)", texts: [])
        let marker = Self.marker(thread.id)
        try await slack.message(channel: "C0NOC", user: "UBOB", text: "quoting it: \(marker.text)", threadTS: root)
        for k in 0..<5 { try await slack.message(channel: "C0NOC", user: "UBOB", text: "reply \(k)", threadTS: root) }
        #expect(try await backend.findPost(marker: marker.text, in: thread) == nil)
        let ts = try await backend.post(Self.post(marker), in: thread, idempotencyKey: marker.id)
        try await slack.control("/_test/config", ["replies_page": 2])
        #expect(try await backend.findPost(marker: marker.text, in: thread) == ts)
        let pages = try await slack.server.received(through: slack.client).filter { $0.path.hasPrefix("/api/conversations.replies") }
        #expect(pages.contains { $0.path.contains("cursor=") })
    }

    @Test func aThreadThatIsGoneHoldsNoPost() async throws {
        let slack = try SlackTestServer()
        try await slack.message(channel: "C0NOC", text: "hello")
        let thread = ConversationThread(id: "C0NOC 1.000001", texts: [])
        #expect(try await slack.backend().findPost(marker: Self.marker(thread.id).text, in: thread) == nil)
    }

    @Test func aWrongTokenSaysToCheckTheBotToken() async throws {
        let slack = try SlackTestServer()
        let backend = try slack.backend(token: "xoxb-wrong")
        let thread = ConversationThread(id: "C0NOC 1.1", texts: [])
        do {
            _ = try await backend.post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
            Issue.record("posted with a wrong token")
        } catch let error as SlackError {
            #expect(error == .badToken(method: "chat.postMessage", error: "invalid_auth"))
            #expect(error.description.contains("bot_token_env"))
            #expect(!error.description.contains("xoxb-wrong"))
        }
        #expect(try await slack.posts().isEmpty)
    }

    @Test func anHTTP401IsABadToken() async throws {
        let slack = try SlackTestServer()
        try await slack.control("/_test/fail", ["method": "chat.postMessage", "status": 401, "error": "invalid_auth"])
        let thread = ConversationThread(id: "C0NOC 1.1", texts: [])
        await #expect(throws: SlackError.badToken(method: "chat.postMessage", error: "invalid_auth")) {
            try await slack.backend().post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
        }
    }

    @Test func notInTheChannelSaysToInviteTheApp() async throws {
        let slack = try SlackTestServer()
        try await slack.control("/_test/config", ["not_in": ["C0PRIV"]])
        let thread = ConversationThread(id: "C0PRIV 1.1", texts: [])
        do {
            _ = try await slack.backend().post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
            Issue.record("posted where the app is not")
        } catch let error as SlackError {
            #expect(error == .channelRefused(method: "chat.postMessage", error: "not_in_channel", channel: "C0PRIV"))
            #expect(error.description.contains("/invite"))
        }
    }

    @Test func aShort429IsWaitedOutAndThePostLandsOnce() async throws {
        let slack = try SlackTestServer()
        let root = try await slack.message(channel: "C0NOC", text: "Call-ID: a84b@pc33")
        let thread = ConversationThread(id: "C0NOC \(root)", texts: [])
        // More 429s than the HTTP client retries itself: the back-end waits the rest.
        try await slack.control("/_test/fail", ["method": "chat.postMessage", "status": 429, "retry_after": 1, "times": 4])
        _ = try await slack.backend().post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
        #expect(try await slack.posts().count == 1)
        #expect(try await slack.calls("chat.postMessage") == 5)
    }

    @Test func aLong429HoldsBackThatMethodOnly() async throws {
        let slack = try SlackTestServer()
        let backend = try slack.backend()
        let root = try await slack.message(channel: "C0NOC", text: "Call-ID: a84b@pc33")
        let thread = ConversationThread(id: "C0NOC \(root)", texts: [])
        try await slack.control("/_test/fail", ["method": "chat.postMessage", "status": 429, "retry_after": 120])
        await #expect(throws: SlackError.rateLimited(method: "chat.postMessage", retryAfter: .seconds(120))) {
            try await backend.post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
        }
        // conversations.replies is not held back...
        #expect(try await backend.findPost(marker: Self.marker(thread.id).text, in: thread) == nil)
        // ...while chat.postMessage is, without asking Slack again.
        do {
            _ = try await backend.post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
            Issue.record("posted while held back")
        } catch SlackError.rateLimited(let method, let wait) {
            #expect(method == "chat.postMessage")
            #expect(wait.map { $0 > .seconds(60) } == true)
        }
        #expect(try await slack.calls("chat.postMessage") == 1)
        #expect(try await slack.posts().isEmpty)
    }

    @Test func aRateGateHoldsEachMethodApart() async {
        let gate = SlackRateGate()
        await gate.hold("chat.postMessage", for: .seconds(30))
        #expect(await gate.delay(for: "conversations.replies") == nil)
        #expect(await gate.delay(for: "chat.postMessage").map { $0 > .seconds(20) } == true)
        await gate.hold("chat.postMessage", for: .seconds(1))
        #expect(await gate.delay(for: "chat.postMessage").map { $0 > .seconds(20) } == true, "a shorter hold must not shorten a longer one")
        await gate.hold("auth.test", for: .zero)
        #expect(await gate.delay(for: "auth.test") == nil)
    }

    @Test func a5xxIsAServerErrorAndPostsNothing() async throws {
        let slack = try SlackTestServer()
        try await slack.control("/_test/fail", ["method": "chat.postMessage", "status": 500, "times": 5])
        let thread = ConversationThread(id: "C0NOC 1.1", texts: [])
        do {
            _ = try await slack.backend().post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
            Issue.record("a 500 was taken for a post")
        } catch let error as SlackError {
            guard case .serverError(let method, let status, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(method == "chat.postMessage" && status == 500)
            #expect(error.description.contains("status.slack.com"))
        }
        // A POST is not retried on a 500: the server may have acted.
        #expect(try await slack.calls("chat.postMessage") == 1)
    }

    @Test func okFalseWithAnUnknownErrorNamesIt() async throws {
        let slack = try SlackTestServer()
        try await slack.control("/_test/fail", ["method": "chat.postMessage", "status": 200, "error": "msg_too_long"])
        let thread = ConversationThread(id: "C0NOC 1.1", texts: [])
        await #expect(throws: SlackError.rejected(method: "chat.postMessage", error: "msg_too_long")) {
            try await slack.backend().post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
        }
    }

    @Test func aCommandIsAnsweredThroughItsResponseURL() async throws {
        let slack = try SlackTestServer()
        let url = slack.server.base + "/response/T0TEST/1/abc"
        let thread = ConversationThread(id: "command C0NOC 398.474.803", texts: [], replyTo: url)
        let marker = Self.marker(thread.id)
        #expect(try await slack.backend().findPost(marker: marker.text, in: thread) == nil)
        let id = try await slack.backend().post(Self.post(marker), in: thread, idempotencyKey: marker.id)
        #expect(id == "398.474.803")
        let responses = try await slack.responses()
        #expect(responses.count == 1)
        let body = try #require(responses.first?["body"] as? [String: Any])
        #expect(body["response_type"] as? String == "in_channel")
        #expect((body["text"] as? String)?.contains(marker.text) == true)
        #expect((body["blocks"] as? [Any])?.isEmpty == false)
        #expect(try await slack.posts().isEmpty)
        let ephemeral = try slack.backend(commandResponse: .ephemeral)
        _ = try await ephemeral.post(Self.post(marker), in: thread, idempotencyKey: marker.id)
        #expect(try await slack.responses().last?["body"].flatMap { ($0 as? [String: Any])?["response_type"] as? String } == "ephemeral")
    }

    @Test func anExpiredResponseURLSaysToAskAgain() async throws {
        let slack = try SlackTestServer()
        try await slack.control("/_test/config", ["response_status": 404])
        let thread = ConversationThread(id: "command C0NOC 398.474.803", texts: [], replyTo: slack.server.base + "/response/x")
        do {
            _ = try await slack.backend().post(Self.post(Self.marker(thread.id)), in: thread, idempotencyKey: "k")
            Issue.record("posted to an expired response_url")
        } catch let error as SlackError {
            guard case .responseURLRefused(let status, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(status == 404)
            #expect(error.description.contains("/sip again"))
        }
    }

    @Test func settingsThatCannotWorkAreRefusedSayingWhatToWrite() throws {
        let token = ResolvedSecret("xoxb-1"), secret = ResolvedSecret("s")
        let cases: [(SlackBackend.Settings, String)] = [
            (SlackBackend.Settings(name: "s", apiURL: "slack.com/api", botToken: token, signingSecret: secret), "api_url"),
            (SlackBackend.Settings(name: "s", botToken: ResolvedSecret(""), signingSecret: secret), "bot_token_env"),
            (SlackBackend.Settings(name: "s", botToken: token, signingSecret: ResolvedSecret("")), "signing_secret_env"),
            (SlackBackend.Settings(name: "s", botToken: token, signingSecret: secret, maxCharacters: 100), "max_characters"),
            (SlackBackend.Settings(name: "s", botToken: token, signingSecret: secret, eventsPath: "/x", commandsPath: "/x"), "its own"),
        ]
        for (settings, words) in cases {
            do {
                _ = try SlackBackend(settings: settings, client: TestClient.curl)
                Issue.record("accepted: \(words)")
            } catch {
                #expect("\(error)".contains(words), "\(error)")
            }
        }
    }
}
