import Annotation
import Foundation
import HTTPClient
@testable import Integrations
import Testing

/// What the Matrix back-end makes of events and settings, without a
/// server: thread ids, reply fallbacks, mentions, what is skipped, the
/// post's content, the settings it refuses.
@Suite struct MatrixMessageTests {
    static let me = "@agent:example.org"

    static func event(_ content: [String: Any], sender: String = "@alice:example.org", id: String = "$e1") -> [String: Any] {
        ["type": "m.room.message", "event_id": id, "sender": sender, "origin_server_ts": 1_764_000_000_000, "content": content]
    }

    static func message(_ content: [String: Any], sender: String = "@alice:example.org") throws -> MatrixMessage {
        try #require(MatrixMessage(event: event(content, sender: sender), roomID: "!r:example.org"))
    }

    @Test func theUsersOwnJoinIsFoundAndADisplayNameChangeIsNot() {
        let me = "@agent:test"
        func member(_ who: String, _ membership: String, before: String?, ms: Double) -> [String: Any] {
            var event: [String: Any] = ["type": "m.room.member", "state_key": who, "content": ["membership": membership],
                                        "origin_server_ts": ms]
            if let before { event["unsigned"] = ["prev_content": ["membership": before]] }
            return event
        }
        let message: [String: Any] = ["type": "m.room.message", "content": ["body": "hi", "msgtype": "m.text"], "origin_server_ts": 1.0]
        #expect(MatrixBackend.ownJoin(in: [message, member(me, "join", before: "invite", ms: 1_700_000_000_500)], me: me)
                == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(MatrixBackend.ownJoin(in: [member(me, "join", before: nil, ms: 2_000)], me: me) == Date(timeIntervalSince1970: 2))
        // Someone else's join, a display-name change, an invite: no join of mine.
        #expect(MatrixBackend.ownJoin(in: [member("@alice:test", "join", before: "invite", ms: 3_000),
                                           member(me, "join", before: "join", ms: 4_000),
                                           member(me, "invite", before: nil, ms: 5_000), message], me: me) == nil)
    }

    @Test func threadIDsRoundTripAndOthersAreRefused() {
        let id = MatrixThreadID(roomID: "!abc:example.org", rootEventID: "$Xy_z-1")
        #expect(MatrixThreadID(id.description) == id)
        for bad in ["123", "", "!a:b", "!a:b $c $d", "room $e", "!a:b e", "!a:b\t$e", "! $e", "!a:b  $e", "!a:b $"] {
            #expect(MatrixThreadID(bad) == nil, "\(bad)")
        }
    }

    @Test func aMessageInAThreadBelongsToItsRootAndAnyOtherToItself() throws {
        let plain = try Self.message(["msgtype": "m.text", "body": "hi"])
        #expect(plain.thread.description == "!r:example.org $e1")
        let threaded = try Self.message(["msgtype": "m.text", "body": "hi",
                                         "m.relates_to": ["rel_type": "m.thread", "event_id": "$root", "is_falling_back": true,
                                                          "m.in_reply_to": ["event_id": "$other"]]])
        #expect(threaded.thread.description == "!r:example.org $root")
        // A rich reply outside a thread starts its own thread.
        let reply = try Self.message(["msgtype": "m.text", "body": "> <@bob:x> Call-ID: quoted@host\n\nmine",
                                      "m.relates_to": ["m.in_reply_to": ["event_id": "$other"]]])
        #expect(reply.thread.description == "!r:example.org $e1")
    }

    @Test func replyFallbacksAreCutOffBothBodies() throws {
        let reply = try Self.message([
            "msgtype": "m.text", "body": "> <@bob:x> Call-ID: quoted@host\n> second line\n\nCall-ID: mine@host",
            "format": "org.matrix.custom.html",
            "formatted_body": "<mx-reply><blockquote>Call-ID: quoted@host</blockquote></mx-reply>Call-ID: <code>mine@host</code>",
            "m.relates_to": ["m.in_reply_to": ["event_id": "$other"]],
        ])
        #expect(reply.body == "Call-ID: mine@host")
        #expect(reply.html == "Call-ID: <code>mine@host</code>")
        #expect(reply.text.markup == .html)
        #expect(reply.text.body == "Call-ID: <code>mine@host</code>")
        // Not a reply: a quote is the writer's own.
        let quote = try Self.message(["msgtype": "m.text", "body": "> Call-ID: pasted@host\n\nsee above"])
        #expect(quote.body == "> Call-ID: pasted@host\n\nsee above")
        #expect(quote.text.markup == .markdown)
    }

    @Test func intentionalMentionsAreExactAndLegacyOnesFollowThePushRules() throws {
        let mentioned = try Self.message(["msgtype": "m.text", "body": "look", "m.mentions": ["user_ids": [Self.me]]])
        #expect(mentioned.mentions(userID: Self.me, displayName: nil))
        // With m.mentions, naming the agent in the text is not a mention.
        let other = try Self.message(["msgtype": "m.text", "body": "agent, look", "m.mentions": ["user_ids": ["@bob:example.org"]]])
        #expect(!other.mentions(userID: Self.me, displayName: nil))
        let empty = try Self.message(["msgtype": "m.text", "body": "agent, look", "m.mentions": [String: Any]()])
        #expect(!empty.mentions(userID: Self.me, displayName: nil))

        for (body, expected) in [("agent: look", true), ("Agent, look", true), ("@agent:example.org look", true),
                                 ("the agents look", false), ("reagent", false), ("agent_x look", false), ("nothing", false)] {
            let message = try Self.message(["msgtype": "m.text", "body": body])
            #expect(message.mentions(userID: Self.me, displayName: nil) == expected, "\(body)")
        }
        let byDisplayName = try Self.message(["msgtype": "m.text", "body": "SIP Doctor: look at this"])
        #expect(byDisplayName.mentions(userID: Self.me, displayName: "SIP Doctor"))
        #expect(!byDisplayName.mentions(userID: Self.me, displayName: nil))
        let pill = try Self.message(["msgtype": "m.text", "body": "Doc: look", "format": "org.matrix.custom.html",
                                     "formatted_body": "<a href=\"https://matrix.to/#/%40agent%3Aexample.org\">Doc</a>: look"])
        #expect(pill.mentions(userID: Self.me, displayName: nil))
    }

    @Test func ownMessagesNoticesEditsAndNonTextAreSkipped() throws {
        #expect(try Self.message(["msgtype": "m.text", "body": "x"], sender: Self.me).skipReason(me: Self.me) == "own")
        #expect(try Self.message(["msgtype": "m.notice", "body": "x"]).skipReason(me: Self.me) == "notice")
        #expect(try Self.message(["msgtype": "m.text", "body": "* x", "m.new_content": ["msgtype": "m.text", "body": "x"],
                                  "m.relates_to": ["rel_type": "m.replace", "event_id": "$e0"]]).skipReason(me: Self.me) == "edit")
        #expect(try Self.message(["msgtype": "m.image", "body": "trace.png"]).skipReason(me: Self.me) == "not text")
        #expect(try Self.message(["msgtype": "m.text", "body": "x"]).skipReason(me: Self.me) == nil)
        #expect(try Self.message(["msgtype": "m.emote", "body": "x"]).skipReason(me: Self.me) == nil)
        // Redacted (no body), state and other events are no messages.
        #expect(MatrixMessage(event: Self.event([:]), roomID: "!r:x") == nil)
        var state = Self.event(["msgtype": "m.text", "body": "x"])
        state["state_key"] = ""
        #expect(MatrixMessage(event: state, roomID: "!r:x") == nil)
    }

    @Test func messagesGroupIntoThreadsInTheOrderTheyCame() throws {
        let a = try #require(MatrixMessage(event: Self.event(["msgtype": "m.text", "body": "a"], id: "$a"), roomID: "!r:x"))
        let b = try #require(MatrixMessage(event: Self.event(["msgtype": "m.text", "body": "b"], id: "$b"), roomID: "!r:x"))
        let inA = try #require(MatrixMessage(event: Self.event(["msgtype": "m.text", "body": "c",
                                                                 "m.relates_to": ["rel_type": "m.thread", "event_id": "$a"]], id: "$c"),
                                             roomID: "!r:x"))
        let threads = MatrixBackend.threads([a, b, inA], seenAt: Date())
        #expect(threads.map(\.id) == ["!r:x $a", "!r:x $b"])
        #expect(threads.map { $0.texts.map(\.id) } == [["$a", "$c"], ["$b"]])
    }

    @Test func thePostIsANoticeInTheThreadAndHTMLOnlyWhenItIsHTML() throws {
        let target = MatrixThreadID(roomID: "!r:x", rootEventID: "$root")
        let html = RenderedPost(plain: "plain <words>", formatted: "<p>html</p>", markup: .html, marker: "m")
        let content = try #require(try JSONSerialization.jsonObject(with: Data(MatrixBackend.content(html, in: target, replyTo: "$last",
                                                                                                      threaded: true))) as? [String: Any])
        #expect(content["msgtype"] as? String == "m.notice")
        #expect(content["body"] as? String == "plain <words>")
        #expect(content["format"] as? String == "org.matrix.custom.html")
        #expect(content["formatted_body"] as? String == "<p>html</p>")
        #expect((content["m.mentions"] as? [String: Any])?.isEmpty == true)
        let relates = try #require(content["m.relates_to"] as? [String: Any])
        #expect(relates["rel_type"] as? String == "m.thread")
        #expect(relates["event_id"] as? String == "$root")
        #expect(relates["is_falling_back"] as? Bool == true)
        #expect((relates["m.in_reply_to"] as? [String: Any])?["event_id"] as? String == "$last")

        let markdown = RenderedPost(plain: "plain", formatted: "**md**", markup: .markdown, marker: "m")
        let plainOnly = try #require(try JSONSerialization.jsonObject(with: Data(MatrixBackend.content(markdown, in: target, replyTo: "$root",
                                                                                                        threaded: false))) as? [String: Any])
        #expect(plainOnly["format"] == nil)
        #expect(plainOnly["formatted_body"] == nil)
        #expect((plainOnly["m.relates_to"] as? [String: Any])?["rel_type"] == nil)
    }

    @Test func theSyncFilterAsksOnlyForOthersMessages() throws {
        let filter = try #require(try JSONSerialization.jsonObject(with: Data(MatrixBackend.syncFilter(me: Self.me).utf8)) as? [String: Any])
        let timeline = try #require((filter["room"] as? [String: Any])?["timeline"] as? [String: Any])
        #expect(timeline["types"] as? [String] == ["m.room.message"])
        #expect(timeline["not_senders"] as? [String] == [Self.me])
    }

    @Test func settingsThatCannotWorkAreRefusedSayingWhatToWrite() {
        func refusal(_ change: (inout MatrixBackend.Settings) -> Void) -> String? {
            var settings = MatrixBackend.Settings(homeserverURL: "https://matrix.example.org", user: "agent", password: ResolvedSecret("pw"))
            change(&settings)
            do {
                _ = try MatrixBackend(settings: settings, client: TestClient.curl)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal { _ in } == nil)
        #expect(refusal { $0.homeserverURL = "https://matrix.example.org/_matrix/client/v3/" } == nil)
        #expect(refusal { $0.homeserverURL = "matrix.example.org" }?.contains("not an http:// or https:// address") == true)
        #expect(refusal { $0.homeserverURL = "https://bot:pw@matrix.example.org" }?.contains("password by reference") == true)
        #expect(refusal { $0.homeserverURL = "https://" }?.contains("names no host") == true)
        #expect(refusal { $0.user = "" }?.contains("localpart") == true)
        #expect(refusal { $0.password = ResolvedSecret("") }?.contains("password is empty") == true)
        #expect(refusal { $0.deviceID = "MY DEVICE" }?.contains("device_id 'MY DEVICE'") == true)
        #expect(refusal { $0.syncTimeout = .seconds(600) }?.contains("sync_timeout") == true)
        #expect(refusal { $0.maxCharacters = 999 }?.contains("max_characters must be between 1000 and 28000") == true)
        #expect(refusal { $0.maxCharacters = 1_000 } == nil)
        #expect(refusal { $0.maxCharacters = 100_000 }?.contains("max_characters") == true)
        #expect(refusal { $0.name = "" }?.contains("name") == true)
    }
}

/// A homeserver stand-in that answers from a script, for the answers a
/// real Synapse gives only under load (429 with only `retry_after_ms`).
final class ScriptedHomeserver: HTTPSending, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [HTTPResponse]
    private var received: [HTTPRequest] = []
    var requests: [HTTPRequest] { lock.withLock { received } }

    init(_ script: [HTTPResponse]) { self.script = script }

    static func json(_ status: Int, _ text: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    static let login = json(200, #"{"user_id":"@agent:x","access_token":"tok-1","device_id":"D"}"#)

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        next(request)
    }

    private func next(_ request: HTTPRequest) -> HTTPResponse {
        lock.withLock {
            received.append(request)
            return script.isEmpty ? Self.json(500, #"{"errcode":"M_UNKNOWN","error":"script ran out"}"#) : script.removeFirst()
        }
    }

    var paths: [String] {
        requests.map { "\($0.method) \($0.url.split(separator: "/", maxSplits: 3).last.map { "/" + $0 } ?? "")" }
    }
}

@Suite struct MatrixRateLimitTests {
    static let thread = ConversationThread(id: "!r:x $root", texts: [])
    static let post = RenderedPost(plain: "p", formatted: nil, markup: .plain, marker: "m")

    static func backend(_ server: ScriptedHomeserver) throws -> MatrixBackend {
        try MatrixBackend(settings: MatrixBackend.Settings(homeserverURL: "http://127.0.0.1:9", user: "agent", password: ResolvedSecret("pw")),
                          client: server)
    }

    @Test func aShortRetryAfterMsInTheBodyIsWaitedOutOnce() async throws {
        let server = ScriptedHomeserver([
            ScriptedHomeserver.login,
            ScriptedHomeserver.json(429, #"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":200}"#),
            ScriptedHomeserver.json(200, #"{"event_id":"$posted"}"#),
        ])
        let started = ContinuousClock.now
        let id = try await Self.backend(server).post(Self.post, in: Self.thread, idempotencyKey: "k1")
        #expect(id == "$posted")
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        #expect(server.paths.filter { $0.hasPrefix("PUT") }.count == 2)
        // The same transaction id both times: the retry is the same post.
        #expect(Set(server.requests.filter { $0.method == "PUT" }.map(\.url)).count == 1)
    }

    @Test func aLongRateLimitIsTheAgentsToWaitAndSaysHowLong() async throws {
        let server = ScriptedHomeserver([
            ScriptedHomeserver.login,
            ScriptedHomeserver.json(429, #"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":120000}"#,
                                    headers: [HTTPHeader("Retry-After", "120")]),
        ])
        let error = await thrown { try await Self.backend(server).post(Self.post, in: Self.thread, idempotencyKey: "k1") }
        let matrix = try #require(error as? MatrixError)
        #expect(matrix == .rateLimited(server: "http://127.0.0.1:9", path: "/_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}",
                                       retryAfter: .seconds(120)))
        #expect(matrix.description.contains("wait 120 s"))
        #expect(server.paths.filter { $0.hasPrefix("PUT") }.count == 1)
    }

    @Test func anUnknownTokenCostsOneLoginAndASecondRefusalIsAnError() async throws {
        let unknown = ScriptedHomeserver.json(401, #"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed."}"#)
        let server = ScriptedHomeserver([ScriptedHomeserver.login, unknown, ScriptedHomeserver.login, unknown])
        let error = await thrown { try await Self.backend(server).post(Self.post, in: Self.thread, idempotencyKey: "k1") }
        guard case .tokenRefused(_, _, let message) = try #require(error as? MatrixError) else {
            Issue.record("expected tokenRefused, got \(String(describing: error))")
            return
        }
        #expect(message == "Invalid access token passed.")
        #expect(server.paths.map { $0.hasPrefix("POST") ? "login" : "put" } == ["login", "put", "login", "put"])
        #expect(!"\(error!)".contains("tok-1"))
    }
}
