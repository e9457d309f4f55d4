import Foundation
import HTTPClient
import Testing
import TestSupport

/// The agent against jira.py (Jira Cloud with its service desk API, as
/// backends.md section 6 has it): an issue with a Call-ID gets exactly one
/// internal comment, also when agentctl is SIGKILLed at each step of the
/// post; 429 and 503 are waited through; a refused token is named in the
/// log, never printed, and the inbox carries on.
@Suite(.serialized) struct AgentJiraTests {
    static let token = "ATATT3xFfGF0-agent-test-token"
    static let agentAccount = "5b10ac8d82e05b22cc7d4ef5"
    let client = CurlHTTPClient(environment: [:])

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// jira.py on a free port, stopped when the test lets go of it.
    final class Site: @unchecked Sendable {
        let process: PythonServerProcess
        let base: String

        init() throws {
            let script = AgentTestBench.root.appendingPathComponent("Tests/IntegrationsTests/Servers/jira.py").path
            process = try PythonServerProcess(script: script, arguments: ["--token", AgentJiraTests.token,
                                                                          "--account-id", AgentJiraTests.agentAccount])
            base = "http://127.0.0.1:\(process.firstLine)"
        }

        deinit { process.stop() }
    }

    func control(_ site: Site, _ path: String, _ spec: [String: Any]) async throws {
        let response = try await client.send(HTTPRequest(method: "POST", url: site.base + path,
                                                         headers: [HTTPHeader("Content-Type", "application/json")],
                                                         body: Array(try JSONSerialization.data(withJSONObject: spec))))
        guard response.status == 200 else { throw Failure(description: "\(path) answered \(response.status)") }
    }

    func openIssue(_ site: Site, _ key: String, description: String) async throws {
        try await control(site, "/_test/issue", ["key": key, "description": description,
                                                 "reporter": ["accountId": "customer-1", "displayName": "Ana Customer"]])
    }

    /// The agent's comments on `key`: (public, text).
    func agentComments(_ site: Site, _ key: String) async throws -> [(isPublic: Bool, text: String)] {
        let response = try await client.send(HTTPRequest(url: site.base + "/_test/issues"))
        let issues = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        let comments = issues.first { $0["key"] as? String == key }?["comments"] as? [[String: Any]] ?? []
        return comments.filter { $0["author"] as? String == Self.agentAccount }
            .map { (($0["public"] as? Bool) ?? true, ($0["text"] as? String) ?? "") }
    }

    func configuration(_ bench: AgentTestBench, _ site: Site, tokenVariable: String = "AGENT_TEST_JIRA_TOKEN") throws -> String {
        try bench.writeConfiguration(lease: "1s", extra: """
        jira:
          - name: jira-test
            url: \(site.base)
            email: agent@example.net
            token_env: \(tokenVariable)
            project: SUP
            poll_interval: 1s
            look_back: 1h
        """)
    }

    var environment: [String: String] { ["AGENT_TEST_JIRA_TOKEN": Self.token] }

    @Test func anIssueWithACallIDGetsOneInternalComment() async throws {
        let bench = try AgentTestBench(tickets: [])
        let site = try Site()
        try await openIssue(site, "SUP-1", description: "Hello,\nour calls to 2002 fail.\nCall-ID: 3b4c5d6f-603@192.168.1.50\n\nThanks, Ana")
        let config = try configuration(bench, site)
        let run = try await AgentctlRun.run(["run", "--config", config, "--once", "--log-format", "json"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let comments = try await agentComments(site, "SUP-1")
        #expect(comments.count == 1, "\(run.stderr)")
        #expect(comments.first?.isPublic == false, "an internal comment")
        #expect(comments.first?.text.contains("sipdiag:") == true)
        #expect(!run.stderr.contains(Self.token) && !run.stdout.contains(Self.token))
        for line in run.stderr.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
        }
        let again = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try await agentComments(site, "SUP-1").count == 1, "a second run must not comment again")
    }

    @Test(arguments: ["after-claim", "during-post", "after-post"])
    func aKillAtEachStepLeavesExactlyOneComment(fault: String) async throws {
        let bench = try AgentTestBench(tickets: [])
        let site = try Site()
        try await openIssue(site, "SUP-1", description: "Call-ID: 0c5d8e2f-403-cos@192.168.1.50\nrejected every time")
        try await openIssue(site, "SUP-2", description: "Call-ID: 3b4c5d6f-603@192.168.1.50")
        let config = try configuration(bench, site)
        var env = environment
        env["AGENTCTL_FAULT"] = fault
        let killed = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: env)
        #expect(killed.signalled && killed.status == SIGKILL, "\(fault): \(killed.stderr)")
        let before = try await agentComments(site, "SUP-1").count + agentComments(site, "SUP-2").count
        if fault == "after-claim" { #expect(before == 0, "after-claim kills before any post") }
        if fault == "after-post" { #expect(before >= 1, "after-post kills once a post is out") }

        let restarted = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(restarted.status == 0 && !restarted.signalled, "\(restarted.stderr)")
        for key in ["SUP-1", "SUP-2"] {
            #expect(try await agentComments(site, key).count == 1, "\(fault): \(key)\n\(restarted.stderr)")
        }
        let again = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(again.status == 0)
        #expect(again.stdout.contains("posted 0,"), "\(again.stdout)")
    }

    @Test func jiraAnswering429And503IsWaitedThroughAndPostsOnce() async throws {
        let bench = try AgentTestBench(tickets: [])
        let site = try Site()
        try await openIssue(site, "SUP-1", description: "Call-ID: 3b4c5d6f-603@192.168.1.50")
        try await control(site, "/_test/fail", ["path": "/rest/api/3/search/jql", "status": 429, "count": 2,
                                                "headers": ["Retry-After": "1"]])
        try await control(site, "/_test/fail", ["path": "/rest/api/3/issue/", "status": 429, "count": 4, "reset_in": 1])
        try await control(site, "/_test/fail", ["path": "/rest/servicedeskapi/request/SUP-1/comment", "method": "POST",
                                                "status": 503, "count": 1, "headers": ["Retry-After": "1"]])
        let config = try configuration(bench, site)
        let run = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        // If the waits did not get through in this run, the poller's back-off does in the next.
        if try await agentComments(site, "SUP-1").isEmpty {
            _ = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: environment)
        }
        #expect(try await agentComments(site, "SUP-1").count == 1, "\(run.stderr)")
    }

    @Test func aRefusedTokenIsLoggedClearlyAndNeverPrinted() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let site = try Site()
        try await openIssue(site, "SUP-1", description: "Call-ID: 3b4c5d6f-603@192.168.1.50")
        let config = try configuration(bench, site, tokenVariable: "AGENT_TEST_JIRA_BAD_TOKEN")
        let secret = "ATATT3xFfGF0-wrong-feedfacecafebeef"
        let run = try await AgentctlRun.run(["run", "--config", config, "--once", "--log-format", "json"],
                                            environment: ["AGENT_TEST_JIRA_BAD_TOKEN": secret])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains(secret) && !run.stdout.contains(secret))
        #expect(run.stderr.contains("jira-test"), "the failing back-end is named: \(run.stderr)")
        #expect(run.stderr.contains("401"), "the refusal is said: \(run.stderr)")
        #expect(bench.posts("ticket-101").count == 1, "the inbox carries on")
        #expect(try await agentComments(site, "SUP-1").isEmpty)
    }
}
