import Annotation
import Foundation
import HTTPClient
@testable import Integrations
import Testing

/// The outgoing webhook as Mattermost sends it: the token checked, both
/// encodings read with their own timestamp unit, the agent's own posts
/// and posts without a Call-ID let through with no reply, the rest
/// delivered and answered with the agent's post as a thread comment.
/// No server: a back-end without an API token never sends anything.
@Suite struct MattermostWebhookTests {
    static let token = "xn7gk3cd1fy8mqhbo5j5hq7yro"
    static let callID = "3b4c5d6f-603@192.168.1.50"

    static func backend(answerWithin: Duration = .seconds(2)) throws -> MattermostBackend {
        try MattermostBackend(settings: MattermostBackend.Settings(name: "mm-test", webhookToken: ResolvedSecret(token),
                                                                  answerWithin: answerWithin),
                              client: NoNetwork())
    }

    /// Fails every request: these tests must send none.
    struct NoNetwork: HTTPSending {
        struct Sent: Error {}
        func send(_ request: HTTPRequest) async throws -> HTTPResponse { throw Sent() }
    }

    static func form(_ fields: [(String, String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        let body = fields.map { k, v in
            k + "=" + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? v).replacingOccurrences(of: "%20", with: "+")
        }.joined(separator: "&")
        return Array(body.utf8)
    }

    static func fields(token: String? = MattermostWebhookTests.token, text: String, postID: String = "p0st1d00000000000000000000",
                       timestamp: String = "1764690000", user: String = "alice00000000000000000000a") -> [(String, String)] {
        var f: [(String, String)] = [("team_id", "team0000000000000000000000"), ("team_domain", "noc"),
                                     ("channel_id", "chan0000000000000000000000"), ("channel_name", "voice-ops"),
                                     ("timestamp", timestamp), ("user_id", user), ("user_name", "alice"), ("post_id", postID),
                                     ("text", text), ("trigger_word", ""), ("file_ids", "")]
        if let token { f.insert(("token", token), at: 0) }
        return f
    }

    static func request(_ body: [UInt8], json: Bool = false, receivedAt: Date = Date()) -> InboundRequest {
        InboundRequest(path: "/mattermost/mm-test",
                       headers: ["Content-Type": json ? "application/json" : "application/x-www-form-urlencoded",
                                 "Accept": "application/json"], body: body, receivedAt: receivedAt)
    }

    @Test func theFormPayloadIsReadWithItsTimestampInSeconds() throws {
        let body = Self.form(Self.fields(text: "why did this fail? Call-ID: \(Self.callID) & more", timestamp: "1764690000"))
        let (payload, encoding) = try MattermostWebhookPayload.read(body, contentType: "application/x-www-form-urlencoded")
        #expect(encoding == .form)
        #expect(payload.text == "why did this fail? Call-ID: \(Self.callID) & more")
        #expect(payload.at == Date(timeIntervalSince1970: 1_764_690_000))
        #expect(payload.postID == "p0st1d00000000000000000000")
        #expect(payload.channelName == "voice-ops")
    }

    @Test func theJSONPayloadIsReadWithItsTimestampInMilliseconds() throws {
        let object: [String: Any] = ["token": Self.token, "team_id": "team0000000000000000000000", "channel_id": "chan0000000000000000000000",
                                     "channel_name": "voice-ops", "timestamp": 1_764_690_000_123 as Int64, "user_id": "alice00000000000000000000a",
                                     "user_name": "alice", "post_id": "p0st1d00000000000000000000", "text": "Call-ID: \(Self.callID)",
                                     "trigger_word": "", "file_ids": ""]
        let body = Array(try JSONSerialization.data(withJSONObject: object))
        let (payload, encoding) = try MattermostWebhookPayload.read(body, contentType: "application/json")
        #expect(encoding == .json)
        let at = try #require(payload.at)
        #expect(abs(at.timeIntervalSince1970 - 1_764_690_000.123) < 0.001)
        #expect(payload.token == Self.token)
    }

    @Test func aPayloadWithoutAPostIDIsRefused() {
        #expect(throws: MattermostWebhookPayload.Unreadable.self) {
            try MattermostWebhookPayload.read(Array("token=x&channel_id=c0000&text=hi".utf8), contentType: nil)
        }
        #expect(throws: MattermostWebhookPayload.Unreadable.self) {
            try MattermostWebhookPayload.read(Array("{\"token\": ".utf8), contentType: "application/json")
        }
    }

    @Test func theTokenComparisonTellsOnlyEqualTokensApart() {
        #expect(MattermostToken.matches(Self.token, expected: Self.token))
        #expect(!MattermostToken.matches(String(Self.token.dropLast()), expected: Self.token))
        #expect(!MattermostToken.matches(Self.token + "x", expected: Self.token))
        #expect(!MattermostToken.matches("", expected: Self.token))
        #expect(!MattermostToken.matches("yn7gk3cd1fy8mqhbo5j5hq7yro", expected: Self.token))
        #expect(!MattermostToken.matches("", expected: ""))
    }

    @Test(arguments: [nil, "wrongwrongwrongwrongwrong0", ""] as [String?])
    func aRequestWithoutTheRightTokenIsRefused401(token: String?) async throws {
        let backend = try Self.backend()
        let verdict = await backend.receive(Self.request(Self.form(Self.fields(token: token, text: "Call-ID: \(Self.callID)"))))
        guard case .refused(let answer, let reason) = verdict else {
            Issue.record("not refused: \(verdict)")
            return
        }
        #expect(answer.status == 401)
        #expect(reason.contains("token"))
        #expect(!String(decoding: answer.body, as: UTF8.self).contains(Self.token))
    }

    @Test func theAgentsOwnPostsAndPostsWithoutACallIDGetNoReply() async throws {
        let backend = try Self.backend()
        let marker = AnnotationMarker(backend: "mm-test", thread: "t", callIDs: [Self.callID], engineVersion: 1).text
        let own = await backend.receive(Self.request(Self.form(Self.fields(text: "Diagnosis of \(Self.callID)\n\n\(marker)"))))
        let nothing = await backend.receive(Self.request(Self.form(Self.fields(text: "is anyone around?"))))
        for verdict in [own, nothing] {
            guard case .answered(let answer) = verdict else {
                Issue.record("not answered at once: \(verdict)")
                continue
            }
            #expect(answer.status == 200 && answer.body.isEmpty)
        }
    }

    @Test func aPostWithACallIDIsDeliveredAsAThreadOfItsPost() async throws {
        let backend = try Self.backend()
        let verdict = await backend.receive(Self.request(Self.form(Self.fields(text: "Call-ID: \(Self.callID)"))))
        guard case .delivered(let delivery, let answer) = verdict else {
            Issue.record("not delivered: \(verdict)")
            return
        }
        #expect(delivery.id == "p0st1d00000000000000000000")
        #expect(delivery.threads.map(\.id) == ["chan0000000000000000000000 p0st1d00000000000000000000"])
        #expect(delivery.threads.first?.texts.first?.body == "Call-ID: \(Self.callID)")
        #expect(delivery.threads.first?.texts.first?.author == "alice")
        #expect(answer.status == 200)
    }

    static func rendered(_ text: String) -> RenderedPost {
        let marker = AnnotationMarker(backend: "mm-test", thread: "t", callIDs: [callID], engineVersion: 1).text
        return RenderedPost(plain: text + "\n" + marker, formatted: "**\(text)**\n\n" + marker, markup: .markdown, marker: marker)
    }

    /// A webhook delivered to a back-end whose answer budget cannot run
    /// out during the test: the request counts as received "in an hour",
    /// however slowly a loaded machine (the full suite on two cores) gets
    /// to the post. The budget's end has tests of its own.
    static func deliveredWithTimeToSpare() async throws -> (MattermostBackend, InboundDelivery, InboundAnswer, ConversationThread) {
        let backend = try Self.backend(answerWithin: .seconds(25))
        let request = Self.request(Self.form(Self.fields(text: "Call-ID: \(Self.callID)")), receivedAt: Date() + 3_600)
        guard case .delivered(let delivery, let first) = await backend.receive(request) else {
            throw WebhookTestFailure(description: "the webhook was not delivered")
        }
        let thread = try #require(delivery.threads.first)
        return (backend, delivery, first, thread)
    }

    struct WebhookTestFailure: Error, CustomStringConvertible {
        var description: String
    }

    @Test func theWebhookIsAnsweredWithThePostAsAThreadComment() async throws {
        let (backend, delivery, first, thread) = try await Self.deliveredWithTimeToSpare()
        async let answered = backend.answer(first, after: delivery, recording: .new)
        try await Task.sleep(for: .milliseconds(200))
        async let posted = backend.post(Self.rendered("The callee rejected it"), in: thread, idempotencyKey: "k")
        let answer = await answered
        // The listener wrote the answer out: only then is the reply posted.
        await backend.answerSent(after: delivery, written: true)
        #expect(try await posted == "webhook-answer:p0st1d00000000000000000000")
        #expect(answer.status == 200 && answer.contentType == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        #expect(object["response_type"] as? String == "comment")
        #expect((object["text"] as? String)?.hasPrefix("**The callee rejected it**") == true)
    }

    @Test func aReplyWhoseAnswerCouldNotBeWrittenIsNotPosted() async throws {
        let (backend, delivery, first, thread) = try await Self.deliveredWithTimeToSpare()
        async let answered = backend.answer(first, after: delivery, recording: .new)
        try await Task.sleep(for: .milliseconds(200))
        let posting = Task { try await backend.send(Self.rendered("Lost with the connection"), in: thread) }
        _ = await answered
        // Mattermost dropped the request before the answer went out.
        await backend.answerSent(after: delivery, written: false)
        do {
            let id = try await posting.value
            Issue.record("counted as posted (\(id)) though the answer carrying it was never sent")
        } catch {
            #expect(error as? MattermostError == .webhookAnswerNotWritten(postID: "p0st1d00000000000000000000"))
        }
    }

    @Test func aPostReadyBeforeTheListenerWaitsIsStillTheAnswer() async throws {
        let (backend, delivery, first, thread) = try await Self.deliveredWithTimeToSpare()
        async let posted = backend.post(Self.rendered("Early"), in: thread, idempotencyKey: "k")
        try await Task.sleep(for: .milliseconds(200))
        let answer = await backend.answer(first, after: delivery, recording: .new)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("Early"))
        await backend.answerSent(after: delivery, written: true)
        #expect(try await posted.hasPrefix("webhook-answer:"))
    }

    @Test func withoutAnAPITokenALateReplyIsALookingNoteAndThePostFailsClearly() async throws {
        let backend = try Self.backend(answerWithin: .seconds(1))
        guard case .delivered(let delivery, let first) = await backend.receive(Self.request(Self.form(Self.fields(text: "Call-ID: \(Self.callID)")))),
              let thread = delivery.threads.first else {
            Issue.record("not delivered")
            return
        }
        let answer = await backend.answer(first, after: delivery, recording: .new)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        #expect(object["response_type"] as? String == "comment")
        #expect((object["text"] as? String)?.contains(Self.callID) == true)
        await #expect(throws: MattermostError.noWayToPost(postID: "p0st1d00000000000000000000")) {
            try await backend.send(Self.rendered("Too late"), in: thread)
        }
    }

    @Test func aRepeatedDeliveryIsAnsweredAtOnceWithNothing() async throws {
        let backend = try Self.backend(answerWithin: .seconds(20))
        guard case .delivered(let delivery, let first) = await backend.receive(Self.request(Self.form(Self.fields(text: "Call-ID: \(Self.callID)")))),
              let thread = delivery.threads.first else {
            Issue.record("not delivered")
            return
        }
        let answer = await backend.answer(first, after: delivery, recording: .again)
        #expect(answer.body.isEmpty)
        // Nothing waits for it any more: the post needs another way.
        await #expect(throws: MattermostError.self) { try await backend.send(Self.rendered("x"), in: thread) }
    }

    @Test func settingsOutOfBoundsAreRefusedSayingWhatToWrite() {
        #expect(throws: MattermostError.self) {
            try MattermostBackend(settings: .init(name: "m", webhookToken: ResolvedSecret(Self.token), answerWithin: .seconds(40)), client: NoNetwork())
        }
        #expect(throws: MattermostError.self) {
            try MattermostBackend(settings: .init(name: "m", webhookToken: ResolvedSecret("")), client: NoNetwork())
        }
        #expect(throws: MattermostError.self) {
            try MattermostBackend(settings: .init(name: "m", webhookToken: ResolvedSecret(Self.token), apiToken: ResolvedSecret("t")), client: NoNetwork())
        }
        #expect(throws: MattermostError.self) {
            try MattermostBackend(settings: .init(name: "m", path: "mattermost", webhookToken: ResolvedSecret(Self.token)), client: NoNetwork())
        }
    }
}

