import Foundation
import HTTPClient
import Testing

/// Whether synapse.sh's variables are set (checked apart from the suite).
enum RealSynapse {
    static var isAvailable: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["AGENT_TEST_MATRIX_URL"] != nil && env["AGENT_TEST_MATRIX_AGENT_PASSWORD"] != nil
            && env["AGENT_TEST_MATRIX_ALICE_PASSWORD"] != nil
    }
}

/// The agent against the real Synapse that `Scripts/ci/synapse.sh` starts
/// (`.ci/run` exports AGENT_TEST_MATRIX_*): a mention with a Call-ID gets
/// exactly one threaded m.notice, also when agentctl is SIGKILLed at each
/// step of the post.
@Suite(.serialized, .enabled(if: RealSynapse.isAvailable,
                             "needs the real Synapse of Scripts/ci/synapse.sh (AGENT_TEST_MATRIX_URL and the passwords); .ci/run starts it"))
struct AgentMatrixTests {
    static let environment = ProcessInfo.processInfo.environment
    static var isAvailable: Bool {
        environment["AGENT_TEST_MATRIX_URL"] != nil && environment["AGENT_TEST_MATRIX_AGENT_PASSWORD"] != nil
            && environment["AGENT_TEST_MATRIX_ALICE_PASSWORD"] != nil
    }

    let base = AgentMatrixTests.environment["AGENT_TEST_MATRIX_URL"] ?? ""
    let agentUser = AgentMatrixTests.environment["AGENT_TEST_MATRIX_AGENT_USER"] ?? "agent"
    let server = AgentMatrixTests.environment["AGENT_TEST_MATRIX_SERVER_NAME"] ?? "localhost"
    let client = CurlHTTPClient()

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }

    /// Alice's access token.
    func aliceToken() async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": Self.environment["AGENT_TEST_MATRIX_ALICE_USER"] ?? "alice"],
            "password": Self.environment["AGENT_TEST_MATRIX_ALICE_PASSWORD"] ?? "",
        ])
        let answer = try await client.send(HTTPRequest(method: "POST", url: base + "/_matrix/client/v3/login",
                                                       headers: [HTTPHeader("Content-Type", "application/json")], body: Array(body)))
        guard let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
              let token = object["access_token"] as? String else { throw Failure(description: "alice cannot log in: \(answer.status)") }
        return token
    }

    @discardableResult
    func call(_ token: String, _ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let answer = try await client.send(HTTPRequest(method: method, url: base + path,
                                                       headers: [HTTPHeader("Content-Type", "application/json"),
                                                                 HTTPHeader("Authorization", "Bearer " + token)], body: bytes))
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any] ?? [:]
        guard answer.status == 200 else { throw Failure(description: "\(method) \(path) answered \(answer.status): \(object)") }
        return object
    }

    var agentID: String { agentUser.hasPrefix("@") ? agentUser : "@\(agentUser):\(server)" }

    func configuration(_ bench: AgentTestBench) throws -> String {
        try bench.writeConfiguration(lease: "1s", extra: """
        matrix:
          - name: matrix-test
            url: \(base)
            user: \(agentUser)
            password_env: AGENT_TEST_MATRIX_AGENT_PASSWORD
            device_id: RUN_\(UUID().uuidString.prefix(8))
            sync_timeout: 1s
        """)
    }

    /// The agent's notices in the thread rooted at `root`, as alice sees them.
    func agentNotices(_ token: String, room: String, root: String) async throws -> [[String: Any]] {
        let path = "/_matrix/client/v1/rooms/\(Self.segment(room))/relations/\(Self.segment(root))/m.thread?limit=100&dir=f"
        let chunk = try await call(token, "GET", path)["chunk"] as? [[String: Any]] ?? []
        return chunk.filter { ($0["sender"] as? String) == agentID && (($0["content"] as? [String: Any])?["msgtype"] as? String) == "m.notice" }
    }

    /// A room with the agent in it (invited, joined by its first run) and
    /// alice's mention with a Call-ID posted after: (room, event id).
    func mention(_ bench: AgentTestBench, config: String, token: String) async throws -> (String, String) {
        let room = try #require(try await call(token, "POST", "/_matrix/client/v3/createRoom",
                                               ["preset": "private_chat", "invite": [agentID]])["room_id"] as? String)
        // The first sync ever only records where "now" is, and joins.
        let first = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(first.status == 0, "\(first.stderr)")
        let content: [String: Any] = ["msgtype": "m.text", "body": "\(agentUser): what broke this one?\nCall-ID: 3b4c5d6f-603@192.168.1.50",
                                      "m.mentions": ["user_ids": [agentID]]]
        let event = try #require(try await call(token, "PUT", "/_matrix/client/v3/rooms/\(Self.segment(room))/send/m.room.message/\(UUID().uuidString)",
                                                content)["event_id"] as? String)
        return (room, event)
    }

    @Test func aMentionGetsOneThreadedNotice() async throws {
        let bench = try AgentTestBench(tickets: [])
        let config = try configuration(bench)
        let token = try await aliceToken()
        let (room, event) = try await mention(bench, config: config, token: token)
        let run = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(run.status == 0, "\(run.stderr)")
        let notices = try await agentNotices(token, room: room, root: event)
        #expect(notices.count == 1, "\(run.stderr)")
        let content = notices.first?["content"] as? [String: Any]
        #expect((content?["body"] as? String)?.contains("3b4c5d6f-603@192.168.1.50") == true)
        #expect((content?["formatted_body"] as? String)?.contains("<pre") == true)
        let again = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(again.status == 0)
        #expect(try await agentNotices(token, room: room, root: event).count == 1)
    }

    @Test(arguments: ["after-claim", "during-post", "after-post"])
    func aKillAtEachStepLeavesExactlyOneNotice(fault: String) async throws {
        let bench = try AgentTestBench(tickets: [])
        let config = try configuration(bench)
        let token = try await aliceToken()
        let (room, event) = try await mention(bench, config: config, token: token)
        let killed = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: ["AGENTCTL_FAULT": fault])
        #expect(killed.signalled && killed.status == SIGKILL, "\(fault): \(killed.stderr)")
        let restarted = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        #expect(try await agentNotices(token, room: room, root: event).count == 1, "\(fault): \(restarted.stderr)")
    }
}
