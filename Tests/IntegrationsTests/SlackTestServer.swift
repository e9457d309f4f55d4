import Foundation
import HTTPClient
@testable import Integrations

/// Servers/slack_web.py for one test, and a Slack back-end pointed at it.
struct SlackTestServer {
    static let token = "xoxb-test-0000-agent"
    static let signingSecret = "test-signing-secret-1234"
    static let botUser = "UAGENTBOT"
    static let botID = "BAGENT001"

    let server: LocalServer
    var client: any HTTPSending { TestClient.curl }

    init() throws {
        server = try LocalServer("slack_web.py", ["--token", Self.token])
    }

    func backend(token: String = SlackTestServer.token, respondTo: SlackBackend.RespondTo = .mentions,
                 commandResponse: SlackBackend.CommandResponse = .inChannel) throws -> SlackBackend {
        try SlackBackend(settings: SlackBackend.Settings(
            name: "slack-test", apiURL: server.base + "/api", botToken: ResolvedSecret(token),
            signingSecret: ResolvedSecret(Self.signingSecret), respondTo: respondTo, commandResponse: commandResponse), client: client)
    }

    /// A message someone wrote; its ts.
    @discardableResult
    func message(channel: String, user: String = "UALICE", text: String, threadTS: String? = nil) async throws -> String {
        var object: [String: Any] = ["channel": channel, "user": user, "text": text]
        if let threadTS { object["thread_ts"] = threadTS }
        let response = try await client.send(HTTPRequest(method: "POST", url: server.base + "/_test/message",
                                                         body: Array(try JSONSerialization.data(withJSONObject: object))))
        let answer = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return answer?["ts"] as? String ?? ""
    }

    func control(_ path: String, _ object: [String: Any]) async throws {
        try await server.control(path, String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self), through: client)
    }

    func list(_ path: String) async throws -> [[String: Any]] {
        let response = try await client.send(HTTPRequest(url: server.base + path))
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]) ?? []
    }

    func posts() async throws -> [[String: Any]] { try await list("/_test/posts") }
    func responses() async throws -> [[String: Any]] { try await list("/_test/responses") }

    /// How many requests reached `method`.
    func calls(_ method: String) async throws -> Int {
        try await server.received(through: client).filter { $0.path.hasPrefix("/api/" + method) }.count
    }

    /// A request signed as Slack signs it, now.
    static func signed(path: String, body: String, contentType: String = "application/json",
                       secret: String = SlackTestServer.signingSecret, at date: Date = Date()) -> InboundRequest {
        let timestamp = String(Int(date.timeIntervalSince1970))
        let signature = SlackSignature(signingSecret: ResolvedSecret(secret)).signature(timestamp: timestamp, body: Array(body.utf8))
        return InboundRequest(path: path, headers: ["Content-Type": contentType, "X-Slack-Request-Timestamp": timestamp,
                                                    "X-Slack-Signature": signature], body: Array(body.utf8))
    }

    static func eventBody(_ event: [String: Any], id: String = "Ev" + UUID().uuidString.prefix(8)) -> String {
        let wrapper: [String: Any] = ["token": "deprecated", "team_id": "T0TEST", "api_app_id": "A0TEST", "type": "event_callback",
                                      "event_id": id, "event_time": 1_700_000_000, "event": event]
        return String(decoding: try! JSONSerialization.data(withJSONObject: wrapper), as: UTF8.self)
    }
}
