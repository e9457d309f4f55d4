import Annotation
import Foundation
import HTTPClient
@testable import Integrations
import Testing

/// The Matrix back-end against a real Synapse (Scripts/ci/synapse.sh):
/// alice makes a room and invites the agent, the agent joins, her
/// message comes back from /sync, the agent's answer lands in her view of
/// the thread once, and its own words never come back. Serialized: every
/// test's agent syncs the same account, and two cores are enough for one
/// Synapse at a time.
@Suite(.serialized, .enabled(if: MatrixTestServer.available, MatrixTestServer.skipReason))
struct MatrixBackendTests {
    static let callID = "a84b4c76e66710@pc33.atlanta.example.com"

    /// A room alice made and the agent joined, and the agent's cursor
    /// after the join: what most tests start from.
    struct JoinedRoom {
        let alice: MatrixPerson
        let agent: MatrixBackend
        let agentID: String
        let room: String
        var cursor: String?
    }

    static func joinedRoom(respondTo: MatrixBackend.RespondTo = .mentions) async throws -> JoinedRoom {
        let alice = try await MatrixPerson.alice()
        let agent = try MatrixTestServer.agent(respondTo: respondTo)
        let start = try await agent.poll(after: nil)
        let agentID = "@\(MatrixTestServer.agentUser):\(try #require(alice.userID.split(separator: ":").last))"
        let room = try await alice.room(inviting: agentID)
        // The invite comes in a sync; the join follows at once.
        var cursor = start.cursor
        for _ in 0..<10 {
            cursor = try await agent.poll(after: cursor).cursor
            let members = try await alice.call("GET", "/_matrix/client/v3/rooms/\(MatrixPerson.segment(room))/joined_members")
            if (members["joined"] as? [String: Any])?[agentID] != nil { break }
        }
        return JoinedRoom(alice: alice, agent: agent, agentID: agentID, room: room, cursor: cursor)
    }

    static func post(_ marker: String = "sipdiag:" + UUID().uuidString.prefix(12).lowercased()) -> RenderedPost {
        RenderedPost(plain: "Call \(callID): 486 Busy Here from the callee.\n\(marker)",
                     formatted: "<p>Call <code>\(callID)</code>: 486 Busy Here</p><pre>INVITE -&gt;\n&lt;- 486</pre><p>\(marker)</p>",
                     markup: .html, marker: marker)
    }

    @Test func theAgentJoinsOnInviteAndAMentionWithACallIDComesBackInPoll() async throws {
        var joined = try await Self.joinedRoom()
        let members = try await joined.alice.call("GET", "/_matrix/client/v3/rooms/\(MatrixPerson.segment(joined.room))/joined_members")
        #expect((members["joined"] as? [String: Any])?[joined.agentID] != nil)

        let event = try await joined.alice.say("agent: the call to the carrier failed, Call-ID: \(Self.callID)", in: joined.room,
                                               mentioning: [joined.agentID])
        let (threads, cursor) = try await joined.agent.poll(from: joined.cursor) { $0.contains { $0.id.hasPrefix(joined.room) } }
        joined.cursor = cursor
        let thread = try #require(threads.first { $0.id.hasPrefix(joined.room) })
        #expect(thread.id == "\(joined.room) \(event)")
        #expect(thread.texts.map(\.id) == [event])
        #expect(thread.texts.first?.author == joined.alice.userID)
        #expect(thread.texts.first?.markup == .markdown)
        #expect(thread.texts.first?.body.contains("Call-ID: \(Self.callID)") == true)
        #expect(thread.texts.first?.at != nil)
    }

    @Test func theFirstSyncEverAnswersNothingOld() async throws {
        let joined = try await Self.joinedRoom()
        _ = try await joined.alice.say("agent: old question, Call-ID: old-\(Self.callID)", in: joined.room, mentioning: [joined.agentID])
        // A new device, as on a fresh install: its first sync is "now".
        let fresh = try MatrixTestServer.agent()
        let first = try await fresh.poll(after: nil)
        #expect(first.threads.isEmpty)
        #expect(first.cursor != nil)
        let new = try await joined.alice.say("agent: new question, Call-ID: \(Self.callID)", in: joined.room, mentioning: [joined.agentID])
        let (threads, _) = try await fresh.poll(from: first.cursor) { $0.contains { $0.id.hasPrefix(joined.room) } }
        #expect(threads.filter { $0.id.hasPrefix(joined.room) }.flatMap(\.texts).map(\.id) == [new])
    }

    @Test func aRoomsHistoryFromBeforeTheJoinIsNotAnswered() async throws {
        let alice = try await MatrixPerson.alice()
        // A second of grace instead of a minute, so the test need not wait one.
        let agent = try MatrixBackend(settings: MatrixBackend.Settings(
            homeserverURL: MatrixTestServer.url ?? "", user: MatrixTestServer.agentUser,
            password: ResolvedSecret(MatrixTestServer.agentPassword ?? ""), deviceID: "TEST_" + UUID().uuidString.prefix(8),
            respondTo: .everyMessage, syncTimeout: .seconds(1), name: "matrix-test"), client: TestClient.curl, joinGrace: .seconds(1))
        let cursor = try await agent.poll(after: nil).cursor
        let room = try #require(try await alice.call("POST", "/_matrix/client/v3/createRoom", ["preset": "private_chat"])["room_id"] as? String)
        _ = try await alice.say("old history: Call-ID: old-\(Self.callID)", in: room)
        try await Task.sleep(for: .seconds(2))
        let agentID = "@\(MatrixTestServer.agentUser):\(try #require(alice.userID.split(separator: ":").last))"
        try await alice.call("POST", "/_matrix/client/v3/rooms/\(MatrixPerson.segment(room))/invite", ["user_id": agentID])
        // Asked right after the invite, before the agent joined: answered.
        let asked = try await alice.say("Call-ID: \(Self.callID)", in: room)
        let polled = try await agent.poll(from: cursor) { $0.flatMap(\.texts).contains { $0.id == asked } }
        #expect(polled.threads.filter { $0.id.hasPrefix(room) }.flatMap(\.texts).map(\.id) == [asked])
    }

    @Test func theReplyIsANoticeInAlicesThreadWithBothBodies() async throws {
        var joined = try await Self.joinedRoom()
        let question = try await joined.alice.say("agent: why did \(Self.callID) fail?", in: joined.room, mentioning: [joined.agentID])
        let polled = try await joined.agent.poll(from: joined.cursor) { $0.contains { $0.id.hasPrefix(joined.room) } }
        joined.cursor = polled.cursor
        let thread = try #require(polled.threads.first { $0.id.hasPrefix(joined.room) })
        let post = Self.post()
        let eventID = try await joined.agent.post(post, in: thread, idempotencyKey: "k" + UUID().uuidString.prefix(8))

        let seen = try await joined.alice.thread(question, in: joined.room)
        #expect(seen.map { $0["event_id"] as? String } == [eventID])
        let reply = try #require(seen.first)
        #expect(reply["sender"] as? String == joined.agentID)
        let content = try #require(reply["content"] as? [String: Any])
        #expect(content["msgtype"] as? String == "m.notice")
        #expect(content["body"] as? String == post.plain)
        #expect(content["format"] as? String == "org.matrix.custom.html")
        #expect(content["formatted_body"] as? String == post.formatted)
        let relates = try #require(content["m.relates_to"] as? [String: Any])
        #expect(relates["rel_type"] as? String == "m.thread")
        #expect(relates["event_id"] as? String == question)
        #expect((relates["m.in_reply_to"] as? [String: Any])?["event_id"] as? String == question)
    }

    @Test func theSameTransactionIDTwiceGivesOneEventAlsoAfterARestart() async throws {
        let joined = try await Self.joinedRoom()
        let question = try await joined.alice.say("agent: \(Self.callID)?", in: joined.room, mentioning: [joined.agentID])
        let thread = ConversationThread(id: "\(joined.room) \(question)", texts: [])
        let device = "TXN_" + UUID().uuidString.prefix(8)
        let first = try MatrixTestServer.agent(device: device)
        let key = "sipdiag-" + UUID().uuidString.prefix(12)
        let a = try await first.post(Self.post(), in: thread, idempotencyKey: key)
        let b = try await first.post(Self.post(), in: thread, idempotencyKey: key)
        // A restart: a new process logs in again on the same device.
        let again = try MatrixTestServer.agent(device: device)
        let c = try await again.post(Self.post(), in: thread, idempotencyKey: key)
        #expect(a == b)
        #expect(a == c)
        let seen = try await joined.alice.thread(question, in: joined.room)
        #expect(seen.count == 1)
        // Another key is another post.
        let d = try await again.post(Self.post(), in: thread, idempotencyKey: key + "-2")
        #expect(d != a)
        #expect(try await joined.alice.thread(question, in: joined.room).count == 2)
    }

    @Test func theAgentsOwnRepliesNoticesAndEditsNeverComeBack() async throws {
        var joined = try await Self.joinedRoom(respondTo: .everyMessage)
        let question = try await joined.alice.say("Call-ID: \(Self.callID)", in: joined.room)
        var polled = try await joined.agent.poll(from: joined.cursor) { $0.contains { $0.id.hasPrefix(joined.room) } }
        let thread = try #require(polled.threads.first { $0.id.hasPrefix(joined.room) })
        _ = try await joined.agent.post(Self.post(), in: thread, idempotencyKey: "own-" + UUID().uuidString.prefix(8))
        // Another bot's notice, and alice editing her question.
        _ = try await joined.alice.send(["msgtype": "m.notice", "body": "agent: bot words \(Self.callID)"], in: joined.room)
        _ = try await joined.alice.send(["msgtype": "m.text", "body": "* Call-ID: x-\(Self.callID)",
                                         "m.new_content": ["msgtype": "m.text", "body": "Call-ID: x-\(Self.callID)"],
                                         "m.relates_to": ["rel_type": "m.replace", "event_id": question]], in: joined.room)
        let last = try await joined.alice.say("last one", in: joined.room)
        polled = try await joined.agent.poll(from: polled.cursor) { $0.flatMap(\.texts).contains { $0.id == last } }
        joined.cursor = polled.cursor
        let texts = polled.threads.filter { $0.id.hasPrefix(joined.room) }.flatMap(\.texts)
        #expect(texts.map(\.id) == [last])
        #expect(!texts.contains { $0.author == joined.agentID })
    }

    @Test func mentionsOnlyLeavesOtherMessagesAlone() async throws {
        let joined = try await Self.joinedRoom(respondTo: .mentions)
        _ = try await joined.alice.say("Call-ID: \(Self.callID), for whoever is on call", in: joined.room)
        _ = try await joined.alice.say("the agent said nothing yet", in: joined.room)
        let byName = try await joined.alice.say("Agent, have a look at \(Self.callID)", in: joined.room)
        let byPill = try await joined.alice.say("look at \(Self.callID)", in: joined.room,
                                               html: "<a href=\"https://matrix.to/#/\(joined.agentID)\">agent</a> look at \(Self.callID)")
        let polled = try await joined.agent.poll(from: joined.cursor) { $0.flatMap(\.texts).contains { $0.id == byPill } }
        let texts = polled.threads.filter { $0.id.hasPrefix(joined.room) }.flatMap(\.texts)
        // "the agent said" holds the localpart as a word: the push rules'
        // legacy "contains user name" counts it, so it is a mention too.
        #expect(texts.map(\.id).count == 3)
        #expect(texts.map(\.id).contains(byName))
        #expect(texts.last?.markup == .html)
        #expect(!texts.contains { $0.body.hasPrefix("Call-ID: \(Self.callID), for whoever") })
    }

    @Test func aBurstLongerThanOneTimelineIsReadWhole() async throws {
        let joined = try await Self.joinedRoom(respondTo: .everyMessage)
        // More than a sync's timeline holds: the rest comes from /messages.
        var sent: [String] = []
        for i in 0..<(MatrixBackend.timelineLimit + 30) {
            sent.append(try await joined.alice.say("message \(i)", in: joined.room))
        }
        let first = try await joined.agent.poll(after: joined.cursor)
        let texts = first.threads.filter { $0.id.hasPrefix(joined.room) }.flatMap(\.texts)
        #expect(texts.map(\.id) == sent)
    }

    @Test func aPlainMessageInAThreadThreadsOnItsRoot() async throws {
        var joined = try await Self.joinedRoom()
        let root = try await joined.alice.say("calls to the carrier fail since 02:00", in: joined.room)
        let inThread = try await joined.alice.say("agent: one of them is \(Self.callID)", in: joined.room,
                                                  mentioning: [joined.agentID], thread: root)
        let polled = try await joined.agent.poll(from: joined.cursor) { $0.contains { $0.id.hasPrefix(joined.room) } }
        joined.cursor = polled.cursor
        let thread = try #require(polled.threads.first { $0.id.hasPrefix(joined.room) })
        #expect(thread.id == "\(joined.room) \(root)")
        #expect(thread.texts.map(\.id) == [inThread])

        // After a restart the agent has the thread id only.
        let restarted = try MatrixTestServer.agent()
        let eventID = try await restarted.post(Self.post(), in: ConversationThread(id: thread.id, texts: []),
                                               idempotencyKey: "thr-" + UUID().uuidString.prefix(8))
        let seen = try await joined.alice.thread(root, in: joined.room)
        #expect(seen.map { $0["event_id"] as? String } == [inThread, eventID])
        let relates = ((seen.last?["content"] as? [String: Any])?["m.relates_to"] as? [String: Any])
        #expect(relates?["event_id"] as? String == root)
    }

    @Test func aMessageThatCannotRootAThreadIsAnsweredAsAReply() async throws {
        var joined = try await Self.joinedRoom(respondTo: .everyMessage)
        let first = try await joined.alice.say("calls fail", in: joined.room)
        // A message carrying a relation of its own cannot start a thread.
        let referencing = try await joined.alice.send(["msgtype": "m.text", "body": "Call-ID: \(Self.callID)",
                                                       "m.relates_to": ["rel_type": "m.reference", "event_id": first]], in: joined.room)
        let polled = try await joined.agent.poll(from: joined.cursor) { $0.flatMap(\.texts).contains { $0.id == referencing } }
        joined.cursor = polled.cursor
        let thread = try #require(polled.threads.first { $0.texts.contains { $0.id == referencing } })
        #expect(thread.id == "\(joined.room) \(referencing)")
        let eventID = try await joined.agent.post(Self.post(), in: thread, idempotencyKey: "ref-" + UUID().uuidString.prefix(8))
        let answer = try #require(try await joined.alice.messages(in: joined.room).first { $0["event_id"] as? String == eventID })
        let relates = try #require((answer["content"] as? [String: Any])?["m.relates_to"] as? [String: Any])
        #expect(relates["rel_type"] == nil)
        #expect((relates["m.in_reply_to"] as? [String: Any])?["event_id"] as? String == referencing)
    }

    @Test func postsAtTheLargestLimitAreAcceptedAndLargerOnesAreAClearError() async throws {
        let joined = try await Self.joinedRoom()
        let question = try await joined.alice.say("agent: \(Self.callID)", in: joined.room, mentioning: [joined.agentID])
        let thread = ConversationThread(id: "\(joined.room) \(question)", texts: [])
        // A ladder's lines: quotes and line breaks, which JSON escapes.
        func body(_ bytes: Int) -> String {
            let line = "  10.0.0.1:5060 -> 203.0.113.10:5060  \"INVITE sip:+15551234567@carrier\" 100 Trying\n"
            return String(String(repeating: line, count: bytes / line.utf8.count + 1).utf8.prefix(bytes))!
        }
        let limit = MatrixBackend.characterLimits.upperBound
        let largest = RenderedPost(plain: body(limit), formatted: "<pre>" + body(limit - 11) + "</pre>", markup: .html, marker: "m")
        #expect(largest.plain.utf8.count == limit && largest.formatted?.utf8.count == limit)
        let id = try await joined.agent.post(largest, in: thread, idempotencyKey: "big-" + UUID().uuidString.prefix(8))
        #expect(id.hasPrefix("$"))

        let over = RenderedPost(plain: body(40_000), formatted: body(40_000), markup: .html, marker: "m")
        let error = await thrown { try await joined.agent.post(over, in: thread, idempotencyKey: "over-" + UUID().uuidString.prefix(8)) }
        guard case .tooLarge = try #require(error as? MatrixError) else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect("\(error!)".contains("lower the back-end's max_characters"))
    }

    @Test func findPostFindsTheMarkerInTheThreadAfterARestart() async throws {
        let joined = try await Self.joinedRoom()
        let question = try await joined.alice.say("agent: \(Self.callID)", in: joined.room, mentioning: [joined.agentID])
        let thread = ConversationThread(id: "\(joined.room) \(question)", texts: [])
        let post = Self.post()
        // Alice quoting the marker is not the agent's post.
        _ = try await joined.alice.say("what is \(post.marker)?", in: joined.room, thread: question)
        #expect(try await joined.agent.findPost(marker: post.marker, in: thread) == nil)
        let eventID = try await joined.agent.post(post, in: thread, idempotencyKey: "find-" + UUID().uuidString.prefix(8))
        let restarted = try MatrixTestServer.agent()
        #expect(try await restarted.findPost(marker: post.marker, in: thread) == eventID)
        #expect(try await restarted.findPost(marker: "sipdiag:not-posted", in: thread) == nil)
    }

    @Test func aLoggedOutTokenCostsOneNewLogin() async throws {
        let joined = try await Self.joinedRoom()
        let question = try await joined.alice.say("agent: \(Self.callID)", in: joined.room, mentioning: [joined.agentID])
        let thread = ConversationThread(id: "\(joined.room) \(question)", texts: [])
        // Another session of the agent's account logs every token out.
        let other = try await MatrixPerson.login(MatrixTestServer.agentUser, MatrixTestServer.agentPassword ?? "")
        try await other.call("POST", "/_matrix/client/v3/logout/all", [:])
        let eventID = try await joined.agent.post(Self.post(), in: thread, idempotencyKey: "relogin-" + UUID().uuidString.prefix(8))
        #expect(eventID.hasPrefix("$"))
    }

    @Test func aRenderedAnnotationRoundTripsAndItsMarkerIsNeverReadAsAQuestion() async throws {
        var joined = try await Self.joinedRoom(respondTo: .everyMessage)
        let question = try await joined.alice.say("Call-ID: \(Self.callID)", in: joined.room)
        var polled = try await joined.agent.poll(from: joined.cursor) { $0.contains { $0.id.hasPrefix(joined.room) } }
        let thread = try #require(polled.threads.first { $0.id.hasPrefix(joined.room) })
        let marker = AnnotationMarker(backend: joined.agent.name, thread: thread.id, callIDs: [Self.callID], engineVersion: 1)
        let post = AnnotationRenderer(redactor: try Redactor(rules: RedactionRules()))
            .render([CallFinding(callID: Self.callID, outcome: .noTrace(asked: ["exports /srv/exports"]))],
                    marker: marker, style: joined.agent.postStyle)
        #expect(post.markup == .html)
        let eventID = try await joined.agent.post(post, in: thread, idempotencyKey: marker.id)

        let seen = try #require(try await joined.alice.thread(question, in: joined.room).first)
        let content = try #require(seen["content"] as? [String: Any])
        #expect(content["body"] as? String == post.plain)
        #expect(content["formatted_body"] as? String == post.formatted)
        #expect(try await MatrixTestServer.agent().findPost(marker: marker.text, in: ConversationThread(id: thread.id, texts: [])) == eventID)
        #expect(try await MatrixTestServer.agent().findPost(marker: marker.id, in: ConversationThread(id: thread.id, texts: [])) == eventID)

        // Alice pasting the agent's answer elsewhere is not a new question.
        _ = try await joined.alice.say(post.plain, in: joined.room, html: post.formatted)
        let last = try await joined.alice.say("thanks", in: joined.room)
        polled = try await joined.agent.poll(from: polled.cursor) { $0.flatMap(\.texts).contains { $0.id == last } }
        joined.cursor = polled.cursor
        #expect(polled.threads.filter { $0.id.hasPrefix(joined.room) }.flatMap(\.texts).map(\.id) == [last])
    }

    @Test func aWrongPasswordIsAClearError() async throws {
        let agent = try MatrixTestServer.agent(password: "not-the-password")
        let error = await thrown { try await agent.poll(after: nil) }
        let matrix = try #require(error as? MatrixError)
        guard case .badCredentials(_, let user, let message) = matrix else {
            Issue.record("expected badCredentials, got \(matrix)")
            return
        }
        #expect(user == MatrixTestServer.agentUser)
        #expect(message.contains("M_FORBIDDEN"))
        #expect(matrix.description.contains("refused the login of '\(MatrixTestServer.agentUser)'"))
        #expect(matrix.description.contains("password"))
        #expect(!matrix.description.contains("not-the-password"))
    }

    @Test func aThreadIDTheBackendDidNotMakeIsAClearError() async throws {
        let agent = try MatrixTestServer.agent()
        let error = await thrown { try await agent.post(Self.post(), in: ConversationThread(id: "123", texts: []), idempotencyKey: "x") }
        #expect(error as? MatrixError == .badThreadID("123"))
    }
}
