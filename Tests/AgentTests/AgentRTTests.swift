import Foundation
import HTTPClient
import Testing
import TestSupport

/// Whether rt.sh's variables are set (checked apart from the suite: a
/// suite's trait cannot name the suite itself).
enum RealRT {
    static var isAvailable: Bool { ProcessInfo.processInfo.environment["AGENT_TEST_RT_URL"] != nil }
}

/// The agent against the real Request Tracker 5 that `Scripts/ci/rt.sh`
/// starts (`.ci/run` sets AGENT_TEST_RT_*): a customer's ticket with a
/// Call-ID gets exactly one comment by the agent, also when agentctl is
/// SIGKILLed at each step of the post; RT answering 500 and 429 is
/// retried through, and the inbox carries on meanwhile; the token never
/// reaches the log.
@Suite(.serialized, .enabled(if: RealRT.isAvailable,
                             "needs the real RT of Scripts/ci/rt.sh (AGENT_TEST_RT_URL and friends); .ci/run starts it"))
struct AgentRTTests {
    static let environment = ProcessInfo.processInfo.environment
    static var isAvailable: Bool { environment["AGENT_TEST_RT_URL"] != nil }

    let url = AgentRTTests.environment["AGENT_TEST_RT_URL"] ?? ""
    let token = AgentRTTests.environment["AGENT_TEST_RT_TOKEN"] ?? ""
    let agentUser = AgentRTTests.environment["AGENT_TEST_RT_AGENT_USER"] ?? "agent"
    let password = AgentRTTests.environment["AGENT_TEST_RT_ROOT_PASSWORD"] ?? ""
    let customer = AgentRTTests.environment["AGENT_TEST_RT_CUSTOMER_USER"] ?? "customer"
    let client = CurlHTTPClient()

    struct Failure: Error, CustomStringConvertible { var description: String }

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
            throw Failure(description: "\(method) \(path) answered \(response.status): \(String(decoding: response.body, as: UTF8.self).prefix(300))")
        }
        return try JSONSerialization.jsonObject(with: Data(response.body))
    }

    func makeQueue() async throws -> String {
        let name = "agent-run-" + UUID().uuidString.prefix(8).lowercased()
        _ = try await call("POST", "/queue", as: "root", json: ["Name": name], expect: 201)
        return name
    }

    func openTicket(queue: String, content: String) async throws -> Int {
        let answer = try await call("POST", "/ticket", as: customer,
                                    json: ["Queue": queue, "Subject": "Calls failing", "Content": content, "ContentType": "text/plain"],
                                    expect: 201)
        guard let id = (answer as? [String: Any])?["id"] as? String, let n = Int(id) else { throw Failure(description: "no id: \(answer)") }
        return n
    }

    /// The agent's comments on the ticket (RT transactions of type Comment by the agent).
    func agentComments(_ ticket: Int) async throws -> Int {
        let answer = try await call("GET", "/ticket/\(ticket)/history?fields=Type,Creator&per_page=100", as: "root", json: nil, expect: 200)
        let items = (answer as? [String: Any])?["items"] as? [[String: Any]] ?? []
        return items.filter { ($0["Type"] as? String) == "Comment" && (($0["Creator"] as? [String: Any])?["id"] as? String) == agentUser }.count
    }

    func configuration(_ bench: AgentTestBench, queue: String, url: String? = nil) throws -> String {
        try bench.writeConfiguration(lease: "1s", extra: """
        rt:
          - name: rt-test
            url: \(url ?? self.url)
            user: \(agentUser)
            token_env: AGENT_TEST_RT_TOKEN
            queue: \(queue)
            poll_interval: 1s
            look_back: 1h
        """)
    }

    @Test func aTicketWithACallIDGetsOneComment() async throws {
        let bench = try AgentTestBench(tickets: [])
        let queue = try await makeQueue()
        let ticket = try await openTicket(queue: queue, content: "Hello,\nour calls to 2002 fail.\nCall-ID: 3b4c5d6f-603@192.168.1.50\n\nThanks, Ana")
        let config = try configuration(bench, queue: queue)
        let run = try await AgentctlRun.run(["run", "--config", config, "--once", "--log-format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try await agentComments(ticket) == 1)
        // The log is JSON lines, and the token is in none of them.
        #expect(!run.stderr.contains(token))
        for line in run.stderr.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
        }
        let again = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(again.status == 0)
        #expect(try await agentComments(ticket) == 1, "a second run must not comment again")
    }

    @Test(arguments: ["after-claim", "during-post", "after-post"])
    func aKillAtEachStepLeavesExactlyOneComment(fault: String) async throws {
        let bench = try AgentTestBench(tickets: [])
        let queue = try await makeQueue()
        let ticket = try await openTicket(queue: queue, content: "Call-ID: 0c5d8e2f-403-cos@192.168.1.50\nrejected every time")
        let config = try configuration(bench, queue: queue)
        let killed = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: ["AGENTCTL_FAULT": fault])
        #expect(killed.signalled && killed.status == SIGKILL, "\(fault): \(killed.stderr)")
        let restarted = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        #expect(try await agentComments(ticket) == 1, "\(fault): \(restarted.stderr)")
    }

    @Test func rtAnswering500And429IsRetriedAndTheInboxCarriesOn() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let queue = try await makeQueue()
        let ticket = try await openTicket(queue: queue, content: "Call-ID: 3b4c5d6f-603@192.168.1.50")
        let script = AgentTestBench.root.appendingPathComponent("Tests/IntegrationsTests/Servers/fault_proxy.py").path
        let upstream = url.replacingOccurrences(of: "/rt", with: "")
        let proxy = try PythonServerProcess(script: script, arguments: ["--upstream", upstream, "--fail", "3", "--status", "500"])
        defer { proxy.stop() }
        let port = proxy.firstLine.split(separator: " ").last.map(String.init) ?? proxy.firstLine
        let config = try configuration(bench, queue: queue, url: "http://127.0.0.1:\(port)/rt")
        let run = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(bench.posts("ticket-101").count == 1, "the inbox is answered whatever RT does")
        // If the HTTP client's retries did not get through, the poller's
        // back-off does on the next run.
        if try await agentComments(ticket) == 0 {
            _ = try await AgentctlRun.run(["run", "--config", config, "--once"])
        }
        #expect(try await agentComments(ticket) == 1)
        // Now 429 with Retry-After on the next requests.
        let ticket2 = try await openTicket(queue: queue, content: "Call-ID: 0c5d8e2f-403-cos@192.168.1.50")
        let arm = try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/_test/arm",
                                                    headers: [HTTPHeader("Content-Type", "application/json")],
                                                    body: Array(#"{"fail": 2, "status": 429, "retry_after": 1}"#.utf8)))
        #expect(arm.status == 200)
        let second = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(second.status == 0, "\(second.stderr)")
        if try await agentComments(ticket2) == 0 { _ = try await AgentctlRun.run(["run", "--config", config, "--once"]) }
        #expect(try await agentComments(ticket2) == 1)
        #expect(try await agentComments(ticket) == 1)
    }

    @Test func aRefusedTokenIsLoggedClearlyAndNeverPrinted() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let config = try bench.writeConfiguration(extra: """
        rt:
          - name: rt-test
            url: \(url)
            user: \(agentUser)
            token_env: AGENT_TEST_RT_BAD_TOKEN
        """)
        let secret = "1-99-feedfacecafebeef0123456789abcdef"
        let run = try await AgentctlRun.run(["run", "--config", config, "--once", "--log-format", "json"],
                                      environment: ["AGENT_TEST_RT_BAD_TOKEN": secret])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains(secret) && !run.stdout.contains(secret))
        #expect(run.stderr.contains("rt-test"), "the failing back-end is named: \(run.stderr)")
        #expect(bench.posts("ticket-101").count == 1, "the inbox carries on")
    }
}
