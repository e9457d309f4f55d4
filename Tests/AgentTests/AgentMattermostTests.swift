import Foundation
import HTTPClient
import Testing
import TestSupport

/// `agentctl run` answering a Mattermost outgoing webhook end to end: the
/// test plays Mattermost (it POSTs the webhook to the agent's listener and
/// makes the answer's reply post, as the server does) against
/// `Servers/mattermost.py` for the REST API. One reply per post, none for
/// a repeat or a wrong token, and exactly one after a SIGKILL at each step
/// of the post and a restart (the webhook connection dies with the agent:
/// the reply then goes through the REST API).
@Suite(.serialized) struct AgentMattermostTests {
    static let hookToken = "xn7gk3cd1fy8mqhbo5j5hq7yro"
    static let apiToken = "mm-test-api-token"
    static let bot = "sipdiagbot0000000000000000"
    static let channel = "chan0000000000000000000000"
    static let callID = "3b4c5d6f-603@192.168.1.50"
    static let script = AgentTestBench.root.appendingPathComponent("Tests/IntegrationsTests/Servers/mattermost.py").path
    static let environment = ["MM_TEST_HOOK_TOKEN": hookToken, "MM_TEST_API_TOKEN": apiToken]
    /// No retries: a webhook to an agent that was killed must fail, not be sent again.
    let client = CurlHTTPClient(options: HTTPClientOptions(connectTimeout: .seconds(5), timeout: .seconds(60), retry: .never),
                                environment: [:])

    struct Failure: Error, CustomStringConvertible { var description: String }

    final class Mattermost: @unchecked Sendable {
        let process: PythonServerProcess
        let base: String
        init() throws {
            process = try PythonServerProcess(script: AgentMattermostTests.script,
                                              arguments: ["--token", AgentMattermostTests.apiToken, "--bot-user", AgentMattermostTests.bot])
            guard let port = Int(process.firstLine) else { throw Failure(description: "mattermost.py printed '\(process.firstLine)'") }
            base = "http://127.0.0.1:\(port)"
        }
    }

    func configuration(_ bench: AgentTestBench, server: Mattermost) throws -> String {
        let yaml = """
        database: \(bench.databasePath)
        exports:
          - path: \(bench.exportsDirectory)
            settle_time: 1s
        mattermost:
          - name: mm-test
            token_env: MM_TEST_HOOK_TOKEN
            url: \(server.base)
            api_token_env: MM_TEST_API_TOKEN
            answer_within: 20s
        agent:
          concurrency: 2
          lease: 1s
        listener:
          address: 127.0.0.1
          port: 0
        """
        let path = bench.scratch.path("agent.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The listener's port, from its "listening" log line.
    func port(of agent: AgentctlRun) async throws -> Int {
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, agent.process.isRunning {
            for line in agent.stderrSoFar.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["message"] as? String == "listening",
                      let metadata = object["metadata"] as? [String: Any] else { continue }
                if let port = (metadata["port"] as? String).flatMap(Int.init) ?? metadata["port"] as? Int { return port }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "no 'listening' line: \(agent.stderrSoFar)")
    }

    func call(_ server: Mattermost, _ path: String, _ json: [String: Any]? = nil) async throws -> Any {
        let body = try json.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let answer = try await client.send(HTTPRequest(method: json == nil ? "GET" : "POST", url: server.base + path,
                                                       headers: [HTTPHeader("Content-Type", "application/json")], body: body))
        return try JSONSerialization.jsonObject(with: Data(answer.body))
    }

    /// Alice's post, as Mattermost stores it before it fires the hook.
    func alicePosts(_ server: Mattermost, _ message: String) async throws -> String {
        let post = try await call(server, "/_test/post", ["channel_id": Self.channel, "message": message]) as? [String: Any]
        return try #require(post?["id"] as? String)
    }

    /// The webhook Mattermost sends for that post (form-encoded, timestamp in seconds).
    func webhook(port: Int, postID: String, text: String, token: String = AgentMattermostTests.hookToken) async throws -> HTTPResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        let fields = [("token", token), ("team_id", "team0000000000000000000000"), ("team_domain", "noc"), ("channel_id", Self.channel),
                      ("channel_name", "voice-ops"), ("timestamp", "\(Int(Date().timeIntervalSince1970))"),
                      ("user_id", "alice00000000000000000000a"), ("user_name", "alice"), ("post_id", postID), ("text", text),
                      ("trigger_word", ""), ("file_ids", "")]
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/mattermost/mm-test",
                                                 headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                                                           HTTPHeader("Accept", "application/json")],
                                                 body: Array(body.utf8)))
    }

    /// The same, as a hook with content type application/json sends it (timestamp in milliseconds).
    func jsonWebhook(port: Int, postID: String, text: String) async throws -> HTTPResponse {
        let object: [String: Any] = ["token": Self.hookToken, "team_id": "team0000000000000000000000", "team_domain": "noc",
                                     "channel_id": Self.channel, "channel_name": "voice-ops",
                                     "timestamp": Int64(Date().timeIntervalSince1970 * 1000), "user_id": "alice00000000000000000000a",
                                     "user_name": "alice", "post_id": postID, "text": text, "trigger_word": "", "file_ids": ""]
        return try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/mattermost/mm-test",
                                                 headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")],
                                                 body: Array(try JSONSerialization.data(withJSONObject: object))))
    }

    /// What Mattermost does with the webhook's answer: a post as the
    /// hook's creator, `from_webhook`, in the thread for a comment. Returns
    /// the answer's text.
    @discardableResult
    func actOnAnswer(_ answer: HTTPResponse, root: String, server: Mattermost) async throws -> String? {
        guard answer.status == 200, !answer.body.isEmpty,
              let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
              let text = object["text"] as? String else { return nil }
        #expect(object["response_type"] as? String == "comment")
        _ = try await call(server, "/_test/post", ["channel_id": Self.channel, "root_id": root, "message": text,
                                                   "user_id": "hookcreator000000000000000", "from_webhook": true])
        return text
    }

    /// The agent's replies in the thread of `root` (its REST posts and the webhook answers' posts).
    func replies(_ server: Mattermost, root: String) async throws -> [[String: Any]] {
        let posts = try await call(server, "/_test/posts") as? [[String: Any]] ?? []
        return posts.filter { post in
            post["root_id"] as? String == root && (post["message"] as? String)?.contains("sipdiag:") == true
                && (post["user_id"] as? String == Self.bot || (post["props"] as? [String: Any])?["from_webhook"] as? String == "true")
        }
    }

    @Test func aPostWithACallIDGetsOneReplyAndARepeatOrAWrongTokenNone() async throws {
        let server = try Mattermost()
        let bench = try AgentTestBench(tickets: [])
        let config = try configuration(bench, server: server)
        let agent = try AgentctlRun(["run", "--config", config, "--log-format", "json"], environment: Self.environment)
        let port = try await port(of: agent)

        let refused = try await webhook(port: port, postID: "p0st1d00000000000000000000", text: "Call-ID: \(Self.callID)", token: "wrong")
        #expect(refused.status == 401)

        let root = try await alicePosts(server, "what broke this one?\nCall-ID: \(Self.callID)")
        let answer = try await webhook(port: port, postID: root, text: "what broke this one?\nCall-ID: \(Self.callID)")
        #expect(answer.status == 200)
        let text = try await actOnAnswer(answer, root: root, server: server)
        // Answered in the webhook if the diagnosis was ready within
        // answer_within, else through the REST API: one reply either way.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, try await replies(server, root: root).isEmpty { try await Task.sleep(for: .milliseconds(200)) }
        let repeated = try await webhook(port: port, postID: root, text: "what broke this one?\nCall-ID: \(Self.callID)")
        #expect(repeated.status == 200 && repeated.body.isEmpty)
        try await Task.sleep(for: .seconds(2))
        let found = try await replies(server, root: root)
        #expect(found.count == 1, "\(agent.stderrSoFar)")
        #expect((found.first?["message"] as? String)?.contains(Self.callID) == true)
        if text != nil { #expect(found.first?["user_id"] as? String != Self.bot) }

        // A hook sending JSON: the same, in that post's own thread.
        let second = try await alicePosts(server, "and this one? Call-ID: \(Self.callID)")
        let jsonAnswer = try await jsonWebhook(port: port, postID: second, text: "and this one? Call-ID: \(Self.callID)")
        #expect(jsonAnswer.status == 200)
        try await actOnAnswer(jsonAnswer, root: second, server: server)
        let secondDeadline = Date().addingTimeInterval(120)
        while Date() < secondDeadline, try await replies(server, root: second).isEmpty { try await Task.sleep(for: .milliseconds(200)) }
        #expect(try await replies(server, root: second).count == 1)
        #expect(try await replies(server, root: root).count == 1)

        agent.signal(SIGTERM)
        let ended = await agent.wait()
        #expect(!ended.signalled && ended.status == 0, "\(ended.stderr)")
        #expect(!ended.stderr.contains(Self.hookToken) && !ended.stderr.contains(Self.apiToken))
        #expect(ended.stderr.contains("wrong token"))
    }

    @Test(arguments: ["after-claim", "during-post", "after-post"])
    func aKillAtEachStepLeavesExactlyOneReply(fault: String) async throws {
        let server = try Mattermost()
        let bench = try AgentTestBench(tickets: [])
        let config = try configuration(bench, server: server)
        var environment = Self.environment
        environment["AGENTCTL_FAULT"] = fault
        let agent = try AgentctlRun(["run", "--config", config, "--log-format", "json"], environment: environment)
        let port = try await port(of: agent)
        let message = "what broke this one?\nCall-ID: \(Self.callID)"
        let root = try await alicePosts(server, message)
        let answer: HTTPResponse?
        do { answer = try await webhook(port: port, postID: root, text: message) } catch { answer = nil }
        let killed = await agent.wait()
        #expect(killed.signalled && killed.status == SIGKILL, "\(fault): \(killed.stderr)")
        if let answer { try await actOnAnswer(answer, root: root, server: server) }

        let restarted = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: Self.environment)
        #expect(restarted.status == 0, "\(restarted.stderr)")
        let found = try await replies(server, root: root)
        #expect(found.count == 1, "\(fault): answer \(answer.map { String(decoding: $0.body, as: UTF8.self) } ?? "none"); \(restarted.stderr)")
        let again = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: Self.environment)
        #expect(again.status == 0)
        #expect(try await replies(server, root: root).count == 1)
    }
}
