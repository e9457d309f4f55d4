import Annotation
import Foundation
@testable import Integrations
import Testing

/// What the Slack back-end makes of what Slack pushes: url_verification
/// answered, mentions delivered as threads (keyed by event_id), the
/// agent's own messages, edits and unasked messages answered with nothing
/// delivered, the /sip command delivered with its response_url, and a bad
/// signature refused before anything is read.
@Suite struct SlackInboundTests {
    static let events = "/slack/slack-test/events"
    static let commands = "/slack/slack-test/commands"

    func deliveredOf(_ verdict: InboundVerdict) -> (InboundDelivery, InboundAnswer)? {
        if case .delivered(let delivery, let answer) = verdict { return (delivery, answer) }
        return nil
    }

    func answeredOf(_ verdict: InboundVerdict) -> InboundAnswer? {
        if case .answered(let answer) = verdict { return answer }
        return nil
    }

    @Test func urlVerificationIsAnsweredWithTheChallenge() async throws {
        let slack = try SlackTestServer()
        let body = #"{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        let answer = try #require(answeredOf(await slack.backend().receive(SlackTestServer.signed(path: Self.events, body: body))))
        #expect(answer.status == 200)
        let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: String]
        #expect(object == ["challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"])
    }

    @Test func aMentionIsDeliveredAsItsThreadKeyedByEventID() async throws {
        let slack = try SlackTestServer()
        let body = SlackTestServer.eventBody(["type": "app_mention", "user": "UALICE", "channel": "C0NOC", "ts": "1700000100.000200",
                                              "event_ts": "1700000100.000200",
                                              "text": "<@UAGENTBOT> why? Call-ID: <mailto:3b4c@10.0.0.1|3b4c@10.0.0.1>"], id: "Ev42")
        let (delivery, answer) = try #require(deliveredOf(await slack.backend().receive(SlackTestServer.signed(path: Self.events, body: body))))
        #expect(answer.status == 200)
        #expect(delivery.id == "Ev42")
        let thread = try #require(delivery.threads.first)
        #expect(thread.id == "C0NOC 1700000100.000200")
        #expect(thread.replyTo == nil)
        #expect(thread.texts.map(\.body) == ["@UAGENTBOT why? Call-ID: 3b4c@10.0.0.1"])
        #expect(thread.texts.map(\.author) == ["UALICE"])
    }

    @Test func aMentionInsideAThreadIsAnsweredInThatThread() async throws {
        let slack = try SlackTestServer()
        let body = SlackTestServer.eventBody(["type": "app_mention", "user": "UALICE", "channel": "C0NOC", "ts": "1700000300.000001",
                                              "thread_ts": "1700000100.000200", "text": "<@UAGENTBOT> Call-ID: abc@h"])
        let (delivery, _) = try #require(deliveredOf(await slack.backend().receive(SlackTestServer.signed(path: Self.events, body: body))))
        #expect(delivery.threads.map(\.id) == ["C0NOC 1700000100.000200"])
        #expect(delivery.threads.first?.texts.map(\.id) == ["1700000300.000001"])
    }

    @Test func plainMessagesAreDeliveredOnlyWithEveryMessage() async throws {
        let slack = try SlackTestServer()
        let body = SlackTestServer.eventBody(["type": "message", "channel_type": "channel", "user": "UALICE", "channel": "C0NOC",
                                              "ts": "1700000400.000001", "text": "Call-ID: abc@h"])
        let mentionsOnly = try slack.backend(respondTo: .mentions)
        #expect(answeredOf(await mentionsOnly.receive(SlackTestServer.signed(path: Self.events, body: body)))?.status == 200)
        let every = try slack.backend(respondTo: .everyMessage)
        #expect(deliveredOf(await every.receive(SlackTestServer.signed(path: Self.events, body: body)))?.0.threads.map(\.id)
                == ["C0NOC 1700000400.000001"])
    }

    @Test func editsDeletionsAndJoinsAreNotAnswered() async throws {
        let slack = try SlackTestServer()
        let backend = try slack.backend(respondTo: .everyMessage)
        for subtype in ["message_changed", "message_deleted", "channel_join"] {
            let body = SlackTestServer.eventBody(["type": "message", "subtype": subtype, "channel": "C0NOC", "ts": "1700000500.000001",
                                                  "user": "UALICE", "text": "Call-ID: abc@h",
                                                  "message": ["text": "Call-ID: abc@h", "user": "UALICE"]])
            #expect(answeredOf(await backend.receive(SlackTestServer.signed(path: Self.events, body: body)))?.status == 200, "\(subtype)")
        }
    }

    @Test func theAgentsOwnMessagesAreNotAnswered() async throws {
        let slack = try SlackTestServer()
        let backend = try slack.backend(respondTo: .everyMessage)
        let byUser = SlackTestServer.eventBody(["type": "message", "user": SlackTestServer.botUser, "channel": "C0NOC",
                                                "ts": "1700000600.000001", "text": "Call-ID: abc@h"])
        let byBot = SlackTestServer.eventBody(["type": "message", "subtype": "bot_message", "bot_id": SlackTestServer.botID,
                                               "channel": "C0NOC", "ts": "1700000600.000002", "text": "Call-ID: abc@h"])
        let marked = SlackTestServer.eventBody(["type": "message", "user": "UOTHER", "channel": "C0NOC", "ts": "1700000600.000003",
                                                "text": "Call-ID: abc@h\n" + SlackMessageTests.marker])
        for body in [byUser, byBot, marked] {
            #expect(answeredOf(await backend.receive(SlackTestServer.signed(path: Self.events, body: body))) != nil)
        }
        // auth.test was asked once, whatever the number of events.
        #expect(try await slack.calls("auth.test") == 1)
        let someoneElse = SlackTestServer.eventBody(["type": "message", "user": "UALICE", "channel": "C0NOC",
                                                     "ts": "1700000600.000004", "text": "Call-ID: abc@h"])
        #expect(deliveredOf(await backend.receive(SlackTestServer.signed(path: Self.events, body: someoneElse))) != nil)
    }

    @Test func badSignaturesAreRefusedWith401() async throws {
        let slack = try SlackTestServer()
        let backend = try slack.backend()
        let body = SlackTestServer.eventBody(["type": "app_mention", "user": "UALICE", "channel": "C0NOC", "ts": "1.2", "text": "Call-ID: a@b"])
        let wrongSecret = SlackTestServer.signed(path: Self.events, body: body, secret: "not-the-secret")
        let stale = SlackTestServer.signed(path: Self.events, body: body, at: Date().addingTimeInterval(-600))
        var tampered = SlackTestServer.signed(path: Self.events, body: body)
        tampered.body = Array(body.replacingOccurrences(of: "a@b", with: "x@y").utf8)
        var unsigned = SlackTestServer.signed(path: Self.events, body: body)
        unsigned.headers["x-slack-signature"] = nil
        for (name, request) in [("wrong secret", wrongSecret), ("stale", stale), ("tampered", tampered), ("unsigned", unsigned)] {
            guard case .refused(let answer, let reason) = await backend.receive(request) else {
                Issue.record("\(name) was not refused")
                continue
            }
            #expect(answer.status == 401, "\(name)")
            #expect(!reason.isEmpty && !reason.contains(SlackTestServer.signingSecret), "\(name)")
        }
    }

    @Test func aBodyThatIsNoJSONIsRefusedSayingWhy() async throws {
        let slack = try SlackTestServer()
        guard case .refused(let answer, let reason) = try await slack.backend().receive(SlackTestServer.signed(path: Self.events, body: "text=hi")) else {
            Issue.record("not refused")
            return
        }
        #expect(answer.status == 400)
        #expect(reason.contains("JSON"))
    }

    static func commandBody(text: String, trigger: String = "398738663015.47445629121.803a0bc8", responseURL: String) -> String {
        func form(_ s: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
        }
        return "token=x&team_id=T0TEST&team_domain=test&channel_id=C0NOC&channel_name=noc&user_id=UALICE&user_name=alice"
            + "&command=%2Fsip&text=\(form(text))&api_app_id=A0TEST&is_enterprise_install=false"
            + "&response_url=\(form(responseURL))&trigger_id=\(trigger)"
    }

    @Test func theSlashCommandIsAcknowledgedAndDeliveredWithItsResponseURL() async throws {
        let slack = try SlackTestServer()
        let url = slack.server.base + "/response/T0TEST/1/abc"
        let body = Self.commandBody(text: "3b4c5d6f-603@192.168.1.50  a84b@pc33.example.com", responseURL: url)
        let request = SlackTestServer.signed(path: Self.commands, body: body, contentType: "application/x-www-form-urlencoded")
        let (delivery, answer) = try #require(deliveredOf(await slack.backend().receive(request)))
        #expect(answer.status == 200 && answer.contentType == "application/json")
        let ack = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: String]
        #expect(ack?["response_type"] == "ephemeral")
        #expect(ack?["text"]?.contains("Looking up 3b4c5d6f-603@192.168.1.50, a84b@pc33.example.com") == true)
        #expect(delivery.id == "command 398738663015.47445629121.803a0bc8")
        let thread = try #require(delivery.threads.first)
        #expect(thread.id == "command C0NOC 398738663015.47445629121.803a0bc8")
        #expect(thread.replyTo == url)
        #expect(thread.texts.map(\.body) == ["Call-ID: 3b4c5d6f-603@192.168.1.50\nCall-ID: a84b@pc33.example.com"])
        // The extractor takes both as marked Call-IDs.
        let found = CallIDExtractor().candidates(in: thread.texts[0].body, markup: .plain)
        #expect(Set(found.filter(\.marked).map(\.callID)) == ["3b4c5d6f-603@192.168.1.50", "a84b@pc33.example.com"])
    }

    @Test func slacksCertificateCheckIsAnsweredAndNothingElseUnsigned() async throws {
        let slack = try SlackTestServer()
        let backend = try slack.backend()
        let check = InboundRequest(path: Self.commands, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                   body: Array("ssl_check=1&token=x".utf8))
        #expect(answeredOf(await backend.receive(check))?.status == 200)
        let unsigned = InboundRequest(path: Self.commands, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                      body: Array((Self.commandBody(text: "a@b", responseURL: "https://hooks.example/x") + "&ssl_check=1").utf8))
        guard case .refused(let answer, _) = await backend.receive(unsigned) else {
            Issue.record("an unsigned command was taken")
            return
        }
        #expect(answer.status == 401)
    }

    @Test func anEmptySlashCommandIsAnsweredWithItsUsage() async throws {
        let slack = try SlackTestServer()
        let body = Self.commandBody(text: "  ", responseURL: slack.server.base + "/response/x")
        let answer = try #require(answeredOf(await slack.backend().receive(
            SlackTestServer.signed(path: Self.commands, body: body, contentType: "application/x-www-form-urlencoded"))))
        #expect(String(decoding: answer.body, as: UTF8.self).contains("Usage: /sip CALL-ID"))
    }

    @Test func aCommandWithoutAResponseURLIsRefused() async throws {
        let slack = try SlackTestServer()
        let body = Self.commandBody(text: "a@b", responseURL: "ftp://example.com/x")
        guard case .refused(let answer, let reason) = try await slack.backend().receive(
            SlackTestServer.signed(path: Self.commands, body: body, contentType: "application/x-www-form-urlencoded")) else {
            Issue.record("not refused")
            return
        }
        #expect(answer.status == 400)
        #expect(reason.contains("response_url"))
    }
}
