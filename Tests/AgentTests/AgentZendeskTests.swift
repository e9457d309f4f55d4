import Foundation
import HTTPClient
import Testing
import TestSupport

/// The agent against zendesk.py (the Support API as Zendesk documents
/// it): `agentctl run` exports the changed tickets, answers a Call-ID
/// with exactly one private comment, also when it is SIGKILLed at each
/// step of the post and restarted; a refused token is named in the log
/// and never printed.
@Suite(.serialized) struct AgentZendeskTests {
    static let email = "agent@acme.example"
    static let token = "zd-agent-test-token-5e1d"
    static let agentID = 9001
    static let callID = "3b4c5d6f-603@192.168.1.50"
    let client = CurlHTTPClient(environment: [:])

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A running zendesk.py and its address.
    final class Account: @unchecked Sendable {
        let process: PythonServerProcess
        let base: String

        init() throws {
            let script = AgentTestBench.root.appendingPathComponent("Tests/IntegrationsTests/Servers/zendesk.py").path
            process = try PythonServerProcess(script: script, arguments: ["--email", AgentZendeskTests.email,
                                                                          "--token", AgentZendeskTests.token])
            base = "http://127.0.0.1:\(process.firstLine)"
        }

        deinit { process.stop() }
    }

    private func call(_ account: Account, _ method: String, _ path: String, _ object: [String: Any]? = nil) async throws -> [String: Any] {
        let body = try object.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let response = try await client.send(HTTPRequest(method: method, url: account.base + path,
                                                         headers: [HTTPHeader("Content-Type", "application/json")], body: body))
        guard response.status == 200 else { throw Failure(description: "\(method) \(path) answered \(response.status)") }
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }

    /// A customer's ticket, written two minutes ago (the export leaves out the last minute).
    func openTicket(_ account: Account, _ text: String) async throws -> Int {
        let answer = try await call(account, "POST", "/_test/ticket",
                                    ["subject": "Calls failing", "age_seconds": 120, "comments": [["body": text, "author_id": 1001]]])
        return try #require(answer["id"] as? Int)
    }

    /// The agent's comments on the ticket, as the server holds them.
    func agentComments(_ account: Account, _ ticket: Int) async throws -> [[String: Any]] {
        let state = try await call(account, "GET", "/_test/state")
        let found = ((state["tickets"] as? [String: Any])?[String(ticket)] as? [String: Any])?["comments"] as? [[String: Any]] ?? []
        return found.filter { $0["author_id"] as? Int == Self.agentID }
    }

    func configuration(_ bench: AgentTestBench, _ account: Account) throws -> String {
        try bench.writeConfiguration(lease: "1s", extra: """
        zendesk:
          - name: zendesk-test
            url: \(account.base)
            email: \(Self.email)
            token_env: AGENT_TEST_ZENDESK_TOKEN
            poll_interval: 1s
            look_back: 1h
        """)
    }

    var environment: [String: String] { ["AGENT_TEST_ZENDESK_TOKEN": Self.token] }

    @Test func aTicketWithACallIDGetsOnePrivateComment() async throws {
        let account = try Account()
        let bench = try AgentTestBench(tickets: [])
        let ticket = try await openTicket(account, "Hello,\nour calls to 2002 fail.\nCall-ID: \(Self.callID)\n\nThanks, Ana")
        let config = try configuration(bench, account)
        let run = try await AgentctlRun.run(["run", "--config", config, "--once", "--log-format", "json"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let comments = try await agentComments(account, ticket)
        #expect(comments.count == 1, "\(run.stderr)")
        #expect(comments.first?["public"] as? Bool == false, "the annotation is a private comment")
        let html = comments.first?["html_body"] as? String ?? ""
        #expect(html.contains("<code>\(Self.callID)</code>") && html.contains("603 Decline"), "the diagnosis: \(html.prefix(300))")
        #expect(html.contains("sipdiag:"))
        #expect(!run.stderr.contains(Self.token) && !run.stdout.contains(Self.token))

        let again = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try await agentComments(account, ticket).count == 1, "a second run must not comment again")
    }

    @Test(arguments: ["after-claim", "during-post", "after-post"])
    func aKillAtEachStepLeavesExactlyOneComment(fault: String) async throws {
        let account = try Account()
        let bench = try AgentTestBench(tickets: [])
        let ticket = try await openTicket(account, "Call-ID: 0c5d8e2f-403-cos@192.168.1.50\nrejected every time")
        let config = try configuration(bench, account)
        var faulty = environment
        faulty["AGENTCTL_FAULT"] = fault
        let killed = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: faulty)
        #expect(killed.signalled && killed.status == SIGKILL, "\(fault): \(killed.stderr)")
        if fault == "after-claim" { #expect(try await agentComments(account, ticket).isEmpty) }
        if fault == "after-post" { #expect(try await agentComments(account, ticket).count == 1) }

        let restarted = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(restarted.status == 0 && !restarted.signalled, "\(restarted.stderr)")
        #expect(try await agentComments(account, ticket).count == 1, "\(fault): \(restarted.stderr)")
    }

    /// How many PUTs the server received.
    func puts(_ account: Account) async throws -> Int {
        let response = try await client.send(HTTPRequest(url: account.base + "/_test/requests"))
        let requests = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        return requests.filter { $0["method"] as? String == "PUT" }.count
    }

    @Test func a429OnTheExportAndA503OnThePostAreWaitedOutWithinTheRun() async throws {
        let account = try Account()
        let bench = try AgentTestBench(tickets: [])
        let ticket = try await openTicket(account, "Call-ID: \(Self.callID)")
        let config = try configuration(bench, account)
        _ = try await call(account, "POST", "/_test/fail", ["path": "/api/v2/incremental/", "status": 429, "count": 1, "retry_after": 1])
        _ = try await call(account, "POST", "/_test/fail",
                           ["path": "/api/v2/tickets/\(ticket).json", "method": "PUT", "status": 503, "count": 1, "retry_after": 1])
        let run = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try await agentComments(account, ticket).count == 1, "\(run.stderr)")
        #expect(try await puts(account) == 2, "the 503 said Zendesk did not act: the PUT was sent again")
    }

    @Test func a500OnThePostIsNotRepeatedAndTheLedgersRetryPostsOnce() async throws {
        let account = try Account()
        let bench = try AgentTestBench(tickets: [])
        let ticket = try await openTicket(account, "Call-ID: \(Self.callID)")
        let config = try configuration(bench, account)
        _ = try await call(account, "POST", "/_test/fail", ["path": "/api/v2/tickets/\(ticket).json", "method": "PUT", "status": 500, "count": 1])
        let failed = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(failed.status == 0, "\(failed.stderr)")
        #expect(failed.stderr.contains("500") && failed.stderr.contains("zendesk-test"), "the failed post is logged: \(failed.stderr)")
        #expect(try await puts(account) == 1, "a 500 may hide a comment that was added: the HTTP client does not send it again")
        #expect(try await agentComments(account, ticket).isEmpty)
        // The ledger's first retry is 30 s later.
        try await Task.sleep(for: .seconds(31))
        let retried = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try await agentComments(account, ticket).count == 1, "\(retried.stderr)")
    }

    @Test func aRefusedTokenIsNamedInTheLogAndNeverPrinted() async throws {
        let account = try Account()
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let ticket = try await openTicket(account, "Call-ID: \(Self.callID)")
        let config = try configuration(bench, account)
        let wrong = "zd-wrong-token-c0ffee42"
        let run = try await AgentctlRun.run(["run", "--config", config, "--once", "--log-format", "json"],
                                            environment: ["AGENT_TEST_ZENDESK_TOKEN": wrong])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains(wrong) && !run.stdout.contains(wrong))
        #expect(run.stderr.contains("zendesk-test") && run.stderr.contains("401"), "the failing back-end is named: \(run.stderr)")
        #expect(bench.posts("ticket-101").count == 1, "the inbox carries on")
        #expect(try await agentComments(account, ticket).isEmpty)
    }
}
