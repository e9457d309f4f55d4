import Foundation
import HTTPClient
@testable import Integrations

/// jira.py for one test: a Jira Cloud site with the service desk API,
/// the agent's account `agent@example.net` with its API token, and the
/// test's ways to write issues and comments as a customer, inject
/// answers and read back what the agent did.
final class JiraTestSite: @unchecked Sendable {
    static let token = "ATATT3xFfGF0-test-token"
    static let agentAccount = "5b10ac8d82e05b22cc7d4ef5"
    static let customer = ["accountId": "customer-1", "displayName": "Ana Customer"]

    let server: LocalServer
    let client: any HTTPSending = TestClient.curl

    init(timezone: String = "America/New_York", jqlZone: String = "user", searchCap: Int = 100, commentCap: Int = 100) throws {
        server = try LocalServer("jira.py", ["--token", Self.token, "--account-id", Self.agentAccount, "--timezone", timezone,
                                             "--jql-zone", jqlZone, "--search-cap", String(searchCap),
                                             "--comment-cap", String(commentCap)])
    }

    func backend(token: String = JiraTestSite.token, project: String? = "SUP", extraJQL: String? = nil, pageSize: Int = 50,
                 lookBack: Duration = .seconds(3_600), postFormat: JiraBackend.PostFormat = .noformat,
                 sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) throws -> JiraBackend {
        try JiraBackend(settings: JiraBackend.Settings(
            baseURL: server.base, email: "agent@example.net", apiToken: ResolvedSecret(token), project: project, extraJQL: extraJQL,
            pollInterval: .seconds(1), firstPollLookBack: lookBack, pageSize: pageSize, postFormat: postFormat, name: "jira-test"),
            client: client, sleep: sleep)
    }

    func issue(_ key: String, description: Any? = nil, summary: String = "Calls failing", age: Int = 0,
               reporter: [String: String] = JiraTestSite.customer) async throws {
        var spec: [String: Any] = ["key": key, "summary": summary, "age": age, "reporter": reporter]
        if let description { spec["description"] = description }
        try await control("/_test/issue", spec)
    }

    func comment(_ key: String, _ body: Any, author: [String: String] = JiraTestSite.customer, public: Bool = true) async throws {
        try await control("/_test/comment", ["key": key, "body": body, "author": author, "public": `public`])
    }

    /// The next `count` requests to paths starting with `path` get `status`.
    func fail(_ path: String, status: Int, count: Int = 1, method: String? = nil, headers: [String: String] = [:],
              resetIn: Int? = nil) async throws {
        var spec: [String: Any] = ["path": path, "status": status, "count": count, "headers": headers]
        if let method { spec["method"] = method }
        if let resetIn { spec["reset_in"] = resetIn }
        try await control("/_test/fail", spec)
    }

    func control(_ path: String, _ spec: [String: Any]) async throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        try await server.control(path, json, through: client)
    }

    func received() async throws -> [LocalServer.Received] { try await server.received(through: client) }

    struct StoredComment: Decodable {
        var id: String
        var author: String
        var `public`: Bool
        var text: String?
    }

    struct StoredIssue: Decodable {
        var key: String
        var comments: [StoredComment]
    }

    /// The comments the agent's account wrote on `key`.
    func agentComments(_ key: String) async throws -> [StoredComment] {
        let response = try await client.send(HTTPRequest(url: server.base + "/_test/issues"))
        let issues = try JSONDecoder().decode([StoredIssue].self, from: Data(response.body))
        return issues.first { $0.key == key }?.comments.filter { $0.author == Self.agentAccount } ?? []
    }
}
