import Foundation
import Testing

/// SIGTERM stops the agent cleanly: polling stops, in-flight work ends or
/// is released, exit 0; the next run takes over what was left.
@Suite struct ShutdownTests {
    @Test func sigtermStopsTheRunningAgentWithExitZero() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101", "ticket-105"])
        let config = try bench.writeConfiguration(pollInterval: "1s")
        let agent = try AgentctlRun(["run", "--config", config])
        // Running (not --once): wait for its posts, then stop it.
        let deadline = Date().addingTimeInterval(300)
        while bench.posts("ticket-101").isEmpty || bench.posts("ticket-105").isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(bench.posts("ticket-101").count == 1)
        #expect(bench.posts("ticket-105").count == 1)
        agent.signal(SIGTERM)
        let ended = await agent.wait()
        #expect(!ended.signalled && ended.status == 0, "status \(ended.status): \(ended.stderr)")
        #expect(!ended.stderr.contains("grace period over"), "stopped within the grace period: \(ended.stderr)")
        #expect(ended.stderr.contains("agent stopped"))
    }

    @Test func sigtermBeforeAnyWorkLeavesItForTheNextRun() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let config = try bench.writeConfiguration(pollInterval: "1s")
        let agent = try AgentctlRun(["run", "--config", config])
        // Once it says it started, its SIGTERM handler is in place.
        let deadline = Date().addingTimeInterval(300)
        while !agent.stderrSoFar.contains("agent started"), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        agent.signal(SIGTERM)
        let ended = await agent.wait()
        #expect(!ended.signalled && ended.status == 0, "status \(ended.status): \(ended.stderr)")
        // Whatever the first run got to, the next one completes it, once.
        let next = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(bench.posts("ticket-101").count == 1)
    }
}
