import Annotation
import Foundation
import HTTPClient
import Integrations
import TestSupport

/// zendesk.py for one test: an account whose agent is agent@acme.example
/// (user 9001) with the test's API token, and the test's own endpoints to
/// make tickets and comments, inject faults and read back the state.
final class ZendeskTestServer: @unchecked Sendable {
    static let email = "agent@acme.example"
    static let token = "zd-test-token-0f3c9a"
    static let agentID = 9001
    static let customerID = 1001

    let server: LocalServer
    let client: any HTTPSending = TestClient.curl
    var base: String { server.base }

    /// `recentSeconds` 60 is Zendesk's own: the tests' tickets are made a
    /// couple of minutes old, so they are exported at once.
    init(exportLimit: Int = 10, exportWindow: Double = 60, recentSeconds: Double = 60) throws {
        server = try LocalServer("zendesk.py", ["--email", Self.email, "--token", Self.token,
                                                "--export-limit", String(exportLimit), "--export-window", String(exportWindow),
                                                "--recent-seconds", String(recentSeconds)])
    }

    func backend(token: String = ZendeskTestServer.token, markup: TextMarkup = .html,
                 exportLimit: ZendeskBackend.RequestBudget = .zendeskIncrementalExports, maxPages: Int = 5,
                 commentPageSize: Int = 100, now: @escaping @Sendable () -> Date = { Date() }) throws -> ZendeskBackend {
        try ZendeskBackend(settings: ZendeskBackend.Settings(
            baseURL: base, email: Self.email, token: ResolvedSecret(token), pollInterval: .seconds(1),
            firstPollLookBack: .seconds(3600), postMarkup: markup, exportLimit: exportLimit,
            maxExportPagesPerPoll: maxPages, commentPageSize: commentPageSize, name: "zendesk-test"),
            client: client, now: now)
    }

    /// A ticket whose comments were written `age` seconds ago by the customer (or whoever is named).
    @discardableResult
    func ticket(_ comments: [String], subject: String = "Calls failing", status: String = "open", author: Int = ZendeskTestServer.customerID,
                age: Int = 120) async throws -> Int {
        let object: [String: Any] = ["subject": subject, "status": status, "age_seconds": age,
                                     "comments": comments.map { ["body": $0, "author_id": author] }]
        return try await call("/_test/ticket", object)["id"] as? Int ?? 0
    }

    func comment(on ticket: Int, _ body: String, author: Int = ZendeskTestServer.customerID, age: Int = 100) async throws {
        try await call("/_test/comment", ["ticket": ticket, "body": body, "author_id": author, "age_seconds": age])
    }

    func set(_ settings: [String: Any]) async throws { try await call("/_test/settings", settings) }

    /// The next `count` API requests whose path starts with `path` answer `status`.
    func fail(_ path: String, status: Int, count: Int = 1, method: String? = nil, retryAfter: Int? = nil) async throws {
        var object: [String: Any] = ["path": path, "status": status, "count": count]
        if let method { object["method"] = method }
        if let retryAfter { object["retry_after"] = retryAfter }
        try await call("/_test/fail", object)
    }

    /// The comments of a ticket as the server holds them.
    func comments(of ticket: Int) async throws -> [[String: Any]] {
        let state = try await get("/_test/state")
        let tickets = state["tickets"] as? [String: Any]
        return (tickets?[String(ticket)] as? [String: Any])?["comments"] as? [[String: Any]] ?? []
    }

    /// The agent's comments on a ticket.
    func agentComments(_ ticket: Int) async throws -> [[String: Any]] {
        try await comments(of: ticket).filter { $0["author_id"] as? Int == Self.agentID }
    }

    /// How many export requests the server refused with 429.
    func exportRefusals() async throws -> Int {
        try await get("/_test/state")["export_refused"] as? Int ?? -1
    }

    func received() async throws -> [LocalServer.Received] { try await server.received(through: client) }

    struct Failure: Error, CustomStringConvertible { var description: String }

    @discardableResult
    private func call(_ path: String, _ object: [String: Any]) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: object)
        let response = try await client.send(HTTPRequest(method: "POST", url: base + path,
                                                         headers: [HTTPHeader("Content-Type", "application/json")], body: Array(body)))
        guard response.status == 200 else { throw Failure(description: "\(path) answered \(response.status)") }
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }

    private func get(_ path: String) async throws -> [String: Any] {
        let response = try await client.send(HTTPRequest(url: base + path))
        guard response.status == 200 else { throw Failure(description: "\(path) answered \(response.status)") }
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }
}
