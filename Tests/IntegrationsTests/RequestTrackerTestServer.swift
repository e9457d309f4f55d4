import Annotation
import Foundation
import HTTPClient
import Integrations

/// The real Request Tracker 5 that `Scripts/ci/rt.sh start` runs (and
/// `.ci/run` before the tests), found through the env file's variables.
/// Each test works in a queue of its own, so that tests running at once
/// never see each other's tickets; a customer (unprivileged, Basic auth)
/// writes the tickets, root looks at what the agent did.
struct RequestTrackerTestServer: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let environment = ProcessInfo.processInfo.environment

    /// True when rt.sh's variables are set (`set -a; . /tmp/agent-test-rt/env`).
    static var isAvailable: Bool { environment["AGENT_TEST_RT_URL"] != nil }

    let url: String
    let token: String
    let agentUser: String
    let password: String
    let customer: String
    let client: any HTTPSending = TestClient.curl

    init() throws {
        let env = Self.environment
        guard let url = env["AGENT_TEST_RT_URL"], let token = env["AGENT_TEST_RT_TOKEN"],
              let agent = env["AGENT_TEST_RT_AGENT_USER"], let password = env["AGENT_TEST_RT_ROOT_PASSWORD"] else {
            throw Failure(description: "AGENT_TEST_RT_URL, _TOKEN, _AGENT_USER and _ROOT_PASSWORD must be set: Scripts/ci/rt.sh start, then set -a; . /tmp/agent-test-rt/env")
        }
        self.url = url
        self.token = token
        agentUser = agent
        self.password = password
        customer = env["AGENT_TEST_RT_CUSTOMER_USER"] ?? "customer"
    }

    /// The agent's back-end on `queue`, looking an hour back on its first poll.
    func backend(queue: String?, extraQuery: String? = nil, pageSize: Int = 50, token: String? = nil, baseURL: String? = nil,
                 postAs: RequestTrackerBackend.PostKind = .comment, markup: TextMarkup = .html,
                 client: (any HTTPSending)? = nil) throws -> RequestTrackerBackend {
        try RequestTrackerBackend(
            settings: RequestTrackerBackend.Settings(
                baseURL: baseURL ?? url, token: ResolvedSecret(token ?? self.token), agentUser: agentUser, queue: queue, extraQuery: extraQuery,
                pollInterval: .seconds(1), firstPollLookBack: .seconds(3_600), postAs: postAs,
                postMarkup: markup, pageSize: pageSize, name: "rt-test"),
            client: client ?? self.client)
    }

    /// A new queue, named uniquely: the test's own.
    func makeQueue(_ prefix: String = "agent-test-") async throws -> String {
        let name = prefix + UUID().uuidString.prefix(8).lowercased()
        _ = try await call("POST", "/queue", as: "root", json: ["Name": name], expect: 201)
        return name
    }

    /// A ticket the customer opens; its number.
    func openTicket(queue: String, subject: String, content: String, contentType: String = "text/plain") async throws -> Int {
        let answer = try await call("POST", "/ticket", as: customer,
                                    json: ["Queue": queue, "Subject": subject, "Content": content, "ContentType": contentType],
                                    expect: 201)
        guard let id = (answer as? [String: Any])?["id"] as? String, let number = Int(id) else {
            throw Failure(description: "RT created a ticket without an id: \(answer)")
        }
        return number
    }

    /// The customer's reply on `ticket`, with files (name, type, bytes) attached.
    func reply(ticket: Int, content: String, contentType: String = "text/plain",
               files: [(name: String, type: String, bytes: [UInt8])] = []) async throws {
        var json: [String: Any] = ["Content": content, "ContentType": contentType]
        if !files.isEmpty {
            json["Attachments"] = files.map { ["FileName": $0.name, "FileType": $0.type, "FileContent": Data($0.bytes).base64EncodedString()] }
        }
        _ = try await call("POST", "/ticket/\(ticket)/correspond", as: customer, json: json, expect: 201)
    }

    /// A transaction as root sees it (Type, Creator…).
    func transaction(_ id: String) async throws -> [String: Any] {
        let answer = try await call("GET", "/transaction/\(id)", as: "root", json: nil, expect: 200)
        return answer as? [String: Any] ?? [:]
    }

    /// The ticket's history as root sees it: (id, Type, Creator) oldest first.
    func history(_ ticket: Int) async throws -> [(id: String, type: String, creator: String)] {
        let answer = try await call("GET", "/ticket/\(ticket)/history?fields=Type,Creator&per_page=100", as: "root",
                                    json: nil, expect: 200)
        let items = (answer as? [String: Any])?["items"] as? [[String: Any]] ?? []
        return items.map { item in
            (item["id"] as? String ?? "", item["Type"] as? String ?? "",
             (item["Creator"] as? [String: Any])?["id"] as? String ?? "")
        }
    }

    private func call(_ method: String, _ path: String, as user: String, json: [String: Any]?, expect: Int) async throws -> Any {
        var headers = [HTTPHeader("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()),
                       HTTPHeader("Accept", "application/json")]
        var body: [UInt8] = []
        if let json {
            headers.append(HTTPHeader("Content-Type", "application/json"))
            body = Array(try JSONSerialization.data(withJSONObject: json))
        }
        let response = try await client.send(HTTPRequest(method: method, url: url + "/REST/2.0" + path, headers: headers, body: body))
        guard response.status == expect else {
            throw Failure(description: "\(method) \(path) as \(user) answered \(response.status): \(String(decoding: response.body, as: UTF8.self).prefix(300))")
        }
        return try JSONSerialization.jsonObject(with: Data(response.body))
    }
}
