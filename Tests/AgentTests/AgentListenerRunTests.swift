import Foundation
import HTTPClient
import Testing

/// `agentctl run` serves /healthz and /metrics while it works (the
/// listener piece's AgentListener, wired to the agent's board and
/// metrics), and a SIGTERM stops both with exit 0.
@Suite struct AgentListenerRunTests {
    @Test func theRunningAgentServesHealthAndMetrics() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let config = try bench.writeConfiguration(pollInterval: "1s")
        // The listener on a free port of loopback, in place of `enabled: false`.
        var yaml = try String(contentsOfFile: config, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "listener:\n  enabled: false", with: "listener:\n  address: 127.0.0.1\n  port: 0")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let agent = try AgentctlRun(["run", "--config", config, "--log-format", "json"])
        var port: Int?
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, port == nil || bench.posts("ticket-101").isEmpty {
            for line in agent.stderrSoFar.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["message"] as? String == "listening",
                      let metadata = object["metadata"] as? [String: Any] else { continue }
                port = (metadata["port"] as? String).flatMap(Int.init) ?? metadata["port"] as? Int
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let bound = try #require(port, "no 'listening' line: \(agent.stderrSoFar)")
        let client = CurlHTTPClient()
        let health = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(bound)/healthz"))
        #expect(health.status == 200)
        let text = String(decoding: health.body, as: UTF8.self)
        #expect(text.contains("\"local\""), "\(text)")
        let metrics = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(bound)/metrics"))
        #expect(metrics.status == 200)
        let exposition = String(decoding: metrics.body, as: UTF8.self)
        #expect(exposition.contains("sipagent_posts_total"), "\(exposition.prefix(500))")
        #expect(exposition.contains("local"))
        agent.signal(SIGTERM)
        let ended = await agent.wait()
        #expect(!ended.signalled && ended.status == 0, "\(ended.stderr)")
    }
}
