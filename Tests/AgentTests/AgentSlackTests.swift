import Foundation
import HTTPClient
import Integrations
import Testing
import TestSupport

/// The agent end to end with Slack: `agentctl run` serves the Events API
/// on its listener, Servers/slack_web.py stands in for Slack's Web API.
/// Events are signed and POSTed as Slack would; the replies are read back
/// from the stand-in. Also the SIGKILL exactly-once test at each fault
/// point: the event recorded before it was answered, the restart finishes
/// it, exactly one reply lands.
@Suite(.serialized) struct AgentSlackTests {
    static let token = "xoxb-agent-test-token"
    static let signingSecret = "agent-test-signing-secret"
    static let callID = "3b4c5d6f-603@192.168.1.50"
    static let eventsPath = "/slack/slack-test/events"
    static let environment = ["SLACK_TEST_BOT_TOKEN": token, "SLACK_TEST_SIGNING_SECRET": signingSecret]

    struct Failure: Error, CustomStringConvertible { var description: String }

    let client = CurlHTTPClient(options: HTTPClientOptions(connectTimeout: .seconds(5), timeout: .seconds(20), retry: .never),
                                environment: [:])

    /// slack_web.py, and its base URL.
    static func slackServer() throws -> (PythonServerProcess, String) {
        let script = AgentTestBench.root.appendingPathComponent("Tests/IntegrationsTests/Servers/slack_web.py").path
        let server = try PythonServerProcess(script: script, arguments: ["--token", token])
        guard let port = Int(server.firstLine) else { throw Failure(description: "slack_web.py printed '\(server.firstLine)'") }
        return (server, "http://127.0.0.1:\(port)")
    }

    /// The agent's configuration: the bench's world, the listener on a
    /// free port of loopback, a Slack app answering mentions.
    static func configuration(_ bench: AgentTestBench, slack: String) throws -> String {
        let config = try bench.writeConfiguration(lease: "1s", extra: """
        slack:
          - name: slack-test
            api_url: \(slack)/api
            bot_token_env: SLACK_TEST_BOT_TOKEN
            signing_secret_env: SLACK_TEST_SIGNING_SECRET
        """)
        var yaml = try String(contentsOfFile: config, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "listener:\n  enabled: false", with: "listener:\n  address: 127.0.0.1\n  port: 0")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    static func start(_ config: String, fault: String? = nil, once: Bool = false) throws -> AgentctlRun {
        var environment = Self.environment
        if let fault { environment["AGENTCTL_FAULT"] = fault }
        return try AgentctlRun(["run", "--config", config, "--log-format", "json"] + (once ? ["--once"] : []), environment: environment)
    }

    /// The port the agent's listener bound, from its "listening" log line.
    static func listenerPort(_ agent: AgentctlRun) async throws -> Int {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, agent.process.isRunning {
            for line in agent.stderrSoFar.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["message"] as? String == "listening",
                      let metadata = object["metadata"] as? [String: Any] else { continue }
                if let port = (metadata["port"] as? String).flatMap(Int.init) ?? metadata["port"] as? Int { return port }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "the agent's listener never said where it listens: \(agent.stderrSoFar)")
    }

    /// A message someone wrote in the stand-in's channel; its ts.
    func message(_ slack: String, channel: String, text: String, user: String = "UALICE") async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["channel": channel, "user": user, "text": text])
        let response = try await client.send(HTTPRequest(method: "POST", url: slack + "/_test/message", body: Array(body)))
        return ((try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["ts"] as? String) ?? ""
    }

    /// The bot's posts in one thread.
    func replies(_ slack: String, channel: String, thread: String) async throws -> [[String: Any]] {
        let response = try await client.send(HTTPRequest(url: slack + "/_test/posts"))
        let posts = (try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]) ?? []
        return posts.filter { $0["channel"] as? String == channel && $0["thread_ts"] as? String == thread }
    }

    func waitForReplies(_ slack: String, channel: String, thread: String, count: Int, agent: AgentctlRun?) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            let found = try await replies(slack, channel: channel, thread: thread)
            if found.count >= count { return found }
            if let agent, !agent.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try await replies(slack, channel: channel, thread: thread)
    }

    /// An app_mention event body for a message at `ts`.
    static func mention(channel: String, ts: String, eventID: String, user: String = "UALICE",
                        text: String = "<@UAGENTBOT> what broke this one? Call-ID: \(AgentSlackTests.callID)") -> String {
        let object: [String: Any] = [
            "token": "deprecated", "team_id": "T0TEST", "api_app_id": "A0TEST", "type": "event_callback", "event_id": eventID,
            "event_time": Int(Date().timeIntervalSince1970),
            "event": ["type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// POSTs `body` to the agent as Slack would, signed with `secret`.
    func deliver(_ body: String, port: Int, secret: String = AgentSlackTests.signingSecret, retry: Int? = nil) async throws -> HTTPResponse {
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let signature = SlackSignature(signingSecret: ResolvedSecret(secret)).signature(timestamp: timestamp, body: Array(body.utf8))
        var headers = [HTTPHeader("Content-Type", "application/json"), HTTPHeader("X-Slack-Request-Timestamp", timestamp),
                       HTTPHeader("X-Slack-Signature", signature)]
        if let retry { headers += [HTTPHeader("X-Slack-Retry-Num", "\(retry)"), HTTPHeader("X-Slack-Retry-Reason", "http_timeout")] }
        return try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)\(Self.eventsPath)", headers: headers,
                                                 body: Array(body.utf8)))
    }

    @Test func mentionsAreAnsweredOnceEachInTheirThread() async throws {
        let bench = try AgentTestBench(tickets: [])
        let (server, slack) = try Self.slackServer()
        defer { server.stop() }
        let agent = try Self.start(try Self.configuration(bench, slack: slack))
        let port = try await Self.listenerPort(agent)

        let first = try await message(slack, channel: "C0NOC", text: "<@UAGENTBOT> what broke this one? Call-ID: \(Self.callID)")
        let answer = try await deliver(Self.mention(channel: "C0NOC", ts: first, eventID: "EvFIRST"), port: port)
        #expect(answer.status == 200)
        let answered = try await waitForReplies(slack, channel: "C0NOC", thread: first, count: 1, agent: agent)
        #expect(answered.count == 1, "\(agent.stderrSoFar.suffix(3000))")
        let text = answered.first?["text"] as? String ?? ""
        #expect(text.contains(Self.callID))
        #expect(text.contains("sipdiag:"))
        let blocks = answered.first?["blocks"] as? [[String: Any]] ?? []
        #expect(blocks.contains { (($0["text"] as? [String: Any])?["text"] as? String)?.contains("```") == true })

        // Slack's retry of the same event: answered, not worked again.
        #expect(try await deliver(Self.mention(channel: "C0NOC", ts: first, eventID: "EvFIRST"), port: port, retry: 1).status == 200)
        // A forged request: refused, nothing recorded.
        let forgedTS = try await message(slack, channel: "C0NOC", text: "Call-ID: \(Self.callID)")
        #expect(try await deliver(Self.mention(channel: "C0NOC", ts: forgedTS, eventID: "EvFORGED"), port: port, secret: "wrong").status == 401)
        // The agent's own message (its bot user): answered, nothing recorded.
        let ownTS = try await message(slack, channel: "C0NOC", text: "Call-ID: \(Self.callID)", user: "UAGENTBOT")
        #expect(try await deliver(Self.mention(channel: "C0NOC", ts: ownTS, eventID: "EvOWN", user: "UAGENTBOT"), port: port).status == 200)
        // A second mention elsewhere: once its reply is there, whatever the
        // requests above would have made would have been worked too.
        let second = try await message(slack, channel: "C0OPS", text: "<@UAGENTBOT> and this? Call-ID: \(Self.callID)")
        #expect(try await deliver(Self.mention(channel: "C0OPS", ts: second, eventID: "EvSECOND"), port: port).status == 200)
        #expect(try await waitForReplies(slack, channel: "C0OPS", thread: second, count: 1, agent: agent).count == 1)

        agent.signal(SIGTERM)
        let ended = await agent.wait()
        #expect(!ended.signalled && ended.status == 0, "\(ended.stderr.suffix(2000))")
        #expect(try await replies(slack, channel: "C0NOC", thread: first).count == 1)
        #expect(try await replies(slack, channel: "C0NOC", thread: forgedTS).isEmpty)
        #expect(try await replies(slack, channel: "C0NOC", thread: ownTS).isEmpty)
        #expect(ended.stderr.contains("inbound request refused"))
        #expect(!ended.stderr.contains(Self.token) && !ended.stderr.contains(Self.signingSecret))
    }

    @Test(arguments: ["after-claim", "during-post", "after-post"])
    func aKillAtEachStepLeavesExactlyOneReply(fault: String) async throws {
        let bench = try AgentTestBench(tickets: [])
        let (server, slack) = try Self.slackServer()
        defer { server.stop() }
        let config = try Self.configuration(bench, slack: slack)
        let killed = try Self.start(config, fault: fault)
        let port = try await Self.listenerPort(killed)
        let ts = try await message(slack, channel: "C0NOC", text: "<@UAGENTBOT> Call-ID: \(Self.callID)")
        // Recorded before it is answered; the kill may race the answer.
        let answer = try? await deliver(Self.mention(channel: "C0NOC", ts: ts, eventID: "EvKILL"), port: port)
        #expect(answer == nil || answer?.status == 200)
        let ended = await killed.wait(timeout: 180)
        #expect(ended.signalled && ended.status == SIGKILL, "\(fault): \(ended.stderr.suffix(2000))")

        let restarted = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: Self.environment)
        #expect(restarted.status == 0, "\(restarted.stderr.suffix(2000))")
        #expect(try await replies(slack, channel: "C0NOC", thread: ts).count == 1, "\(fault): \(restarted.stderr.suffix(2000))")
        let again = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: Self.environment)
        #expect(again.status == 0)
        #expect(try await replies(slack, channel: "C0NOC", thread: ts).count == 1)
    }

    @Test func theSlashCommandIsAcknowledgedAtOnceAndAnsweredThroughItsResponseURL() async throws {
        let bench = try AgentTestBench(tickets: [])
        let (server, slack) = try Self.slackServer()
        defer { server.stop() }
        let agent = try Self.start(try Self.configuration(bench, slack: slack))
        let port = try await Self.listenerPort(agent)
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func form(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
        let body = "team_id=T0TEST&channel_id=C0NOC&user_id=UALICE&command=%2Fsip&text=\(form(Self.callID))"
            + "&response_url=\(form(slack + "/response/T0TEST/1/abc"))&trigger_id=398.474.803abc"
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let signature = SlackSignature(signingSecret: ResolvedSecret(Self.signingSecret)).signature(timestamp: timestamp, body: Array(body.utf8))
        let ack = try await client.send(HTTPRequest(
            method: "POST", url: "http://127.0.0.1:\(port)/slack/slack-test/commands",
            headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded"), HTTPHeader("X-Slack-Request-Timestamp", timestamp),
                      HTTPHeader("X-Slack-Signature", signature)], body: Array(body.utf8)))
        #expect(ack.status == 200)
        #expect(String(decoding: ack.body, as: UTF8.self).contains("Looking up \(Self.callID)"))
        var responses: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline, responses.isEmpty, agent.process.isRunning {
            let answer = try await client.send(HTTPRequest(url: slack + "/_test/responses"))
            responses = (try JSONSerialization.jsonObject(with: Data(answer.body)) as? [[String: Any]]) ?? []
            try await Task.sleep(for: .milliseconds(200))
        }
        agent.signal(SIGTERM)
        let ended = await agent.wait()
        #expect(ended.status == 0, "\(ended.stderr.suffix(2000))")
        #expect(responses.count == 1, "\(ended.stderr.suffix(2000))")
        let answer = responses.first?["body"] as? [String: Any]
        #expect(answer?["response_type"] as? String == "in_channel")
        #expect((answer?["text"] as? String)?.contains(Self.callID) == true)
    }

    @Test func aPushedBackEndWithTheListenerDisabledIsRefusedSayingWhy() async throws {
        let bench = try AgentTestBench(tickets: [])
        let config = try bench.writeConfiguration(extra: """
        slack:
          - name: slack-test
            api_url: http://127.0.0.1:9/api
            bot_token_env: SLACK_TEST_BOT_TOKEN
            signing_secret_env: SLACK_TEST_SIGNING_SECRET
        """)
        let run = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: Self.environment)
        #expect(run.status == 2)
        #expect(run.stderr.contains("listener.enabled: true"), "\(run.stderr)")
    }
}
