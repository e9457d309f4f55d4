import Foundation
import HTTPClient
import Integrations

/// The Synapse that `Scripts/ci/synapse.sh start` runs for these tests
/// (`.ci/run` exports its env file): its address and the test-only
/// passwords of `agent` and `alice`. Without AGENT_TEST_MATRIX_URL the
/// suites that need it are skipped, saying why.
enum MatrixTestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["AGENT_TEST_MATRIX_URL"]
    static var available: Bool { url != nil && agentPassword != nil && alicePassword != nil }
    static let skipReason: Comment =
        "no Synapse: run Scripts/ci/synapse.sh start VENV and export its env (eval \"$(Scripts/ci/synapse.sh env)\"); .ci/run does"
    static let agentUser = environment["AGENT_TEST_MATRIX_AGENT_USER"] ?? "agent"
    static let agentPassword = environment["AGENT_TEST_MATRIX_AGENT_PASSWORD"]
    static let aliceUser = environment["AGENT_TEST_MATRIX_ALICE_USER"] ?? "alice"
    static let alicePassword = environment["AGENT_TEST_MATRIX_ALICE_PASSWORD"]

    /// The agent as the product runs it, on a device of the test's own
    /// (so that tests do not share transaction ids), answering quickly.
    static func agent(device: String = "TEST_" + String(UUID().uuidString.prefix(8)), respondTo: MatrixBackend.RespondTo = .mentions,
                      password: String? = nil, client: any HTTPSending = TestClient.curl) throws -> MatrixBackend {
        try MatrixBackend(settings: MatrixBackend.Settings(
            homeserverURL: url ?? "", user: agentUser, password: ResolvedSecret(password ?? agentPassword ?? ""), deviceID: device,
            respondTo: respondTo, syncTimeout: .seconds(1), name: "matrix-test"), client: client)
    }
}

/// Alice, a person in the chat, through the raw client-server API: she
/// makes rooms, invites the agent, writes, and reads what the agent
/// answered in her own view of the thread.
struct MatrixPerson {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let base: String
    let userID: String
    private let token: String
    private let client: any HTTPSending = TestClient.curl

    static func alice() async throws -> MatrixPerson {
        try await login(MatrixTestServer.aliceUser, MatrixTestServer.alicePassword ?? "")
    }

    static func login(_ user: String, _ password: String) async throws -> MatrixPerson {
        let base = MatrixTestServer.url ?? ""
        let body = try JSONSerialization.data(withJSONObject: [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": user], "password": password,
        ])
        let answer = try await TestClient.curl.send(HTTPRequest(method: "POST", url: base + "/_matrix/client/v3/login",
                                                                headers: [HTTPHeader("Content-Type", "application/json")], body: Array(body)))
        let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        guard answer.status == 200, let token = object?["access_token"] as? String, let userID = object?["user_id"] as? String else {
            throw Failure(description: "login of \(user) answered \(answer.status)")
        }
        return MatrixPerson(base: base, userID: userID, token: token)
    }

    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let answer = try await client.send(HTTPRequest(method: method, url: base + path,
                                                       headers: [HTTPHeader("Content-Type", "application/json"),
                                                                 HTTPHeader("Authorization", "Bearer " + token)], body: bytes))
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any] ?? [:]
        guard answer.status == 200 else { throw Failure(description: "\(method) \(path) answered \(answer.status): \(object)") }
        return object
    }

    /// A private room with the agent invited.
    func room(inviting invitee: String) async throws -> String {
        let object = try await call("POST", "/_matrix/client/v3/createRoom", ["preset": "private_chat", "invite": [invitee]])
        return try #require(object["room_id"] as? String)
    }

    func send(_ content: [String: Any], in room: String, type: String = "m.room.message") async throws -> String {
        let path = "/_matrix/client/v3/rooms/\(Self.segment(room))/send/\(type)/\(UUID().uuidString)"
        return try #require(try await call("PUT", path, content)["event_id"] as? String)
    }

    /// A text message; `mentioning` fills `m.mentions` as Element does for a pill.
    func say(_ body: String, in room: String, mentioning: [String]? = nil, html: String? = nil,
             thread root: String? = nil) async throws -> String {
        var content: [String: Any] = ["msgtype": "m.text", "body": body]
        if let mentioning { content["m.mentions"] = ["user_ids": mentioning] }
        if let html { content["format"] = "org.matrix.custom.html"; content["formatted_body"] = html }
        if let root {
            content["m.relates_to"] = ["rel_type": "m.thread", "event_id": root, "is_falling_back": true,
                                       "m.in_reply_to": ["event_id": root]] as [String: Any]
        }
        return try await send(content, in: room)
    }

    /// The events of the thread rooted at `root`, oldest first, as her client sees them.
    func thread(_ root: String, in room: String) async throws -> [[String: Any]] {
        let path = "/_matrix/client/v1/rooms/\(Self.segment(room))/relations/\(Self.segment(root))/m.thread?limit=100&dir=f"
        return try await call("GET", path)["chunk"] as? [[String: Any]] ?? []
    }

    /// Every message event of the room, oldest first.
    func messages(in room: String) async throws -> [[String: Any]] {
        let filter = Self.segment(#"{"types":["m.room.message"]}"#)
        let path = "/_matrix/client/v3/rooms/\(Self.segment(room))/messages?dir=f&limit=200&filter=\(filter)"
        return try await call("GET", path)["chunk"] as? [[String: Any]] ?? []
    }

    static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }
}

import Testing

extension MatrixBackend {
    /// Polls until `wanted` holds for the threads of one poll (or `tries`
    /// polls of a second each went by); returns those threads and the
    /// cursor to go on from.
    func poll(from cursor: String?, tries: Int = 10,
              until wanted: ([ConversationThread]) -> Bool) async throws -> (threads: [ConversationThread], cursor: String?) {
        var cursor = cursor
        var seen: [ConversationThread] = []
        for _ in 0..<tries {
            let answer = try await poll(after: cursor)
            cursor = answer.cursor ?? cursor
            seen += answer.threads
            if wanted(seen) { return (seen, cursor) }
        }
        return (seen, cursor)
    }
}
