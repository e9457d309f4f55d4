import Foundation
import Testing

/// SIGTERM stops the agent cleanly: polling stops, in-flight work ends or
/// is released, exit 0; the next run takes over what was left.
@Suite struct ShutdownTests {
    @Test func sigtermStopsTheRunningAgentWithExitZero() throws {
        let bench = try AgentTestBench(tickets: ["ticket-101", "ticket-105"])
        let config = try bench.writeConfiguration(pollInterval: "1s")
        let agent = try AgentctlRun(["run", "--config", config])
        // Running (not --once): wait for its posts, then stop it.
        let deadline = Date().addingTimeInterval(60)
        while bench.posts("ticket-101").isEmpty || bench.posts("ticket-105").isEmpty, Date() < deadline { usleep(100_000) }
        #expect(bench.posts("ticket-101").count == 1)
        #expect(bench.posts("ticket-105").count == 1)
        let started = Date()
        agent.signal(SIGTERM)
        let ended = agent.wait(timeout: 30)
        #expect(!ended.signalled && ended.status == 0, "status \(ended.status): \(ended.stderr)")
        #expect(Date().timeIntervalSince(started) < 15, "stops within the grace period")
        #expect(ended.stderr.contains("agent stopped"))
    }

    @Test func sigtermBeforeAnyWorkLeavesItForTheNextRun() throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let config = try bench.writeConfiguration(pollInterval: "1s")
        let agent = try AgentctlRun(["run", "--config", config])
        // Once it says it started, its SIGTERM handler is in place.
        let deadline = Date().addingTimeInterval(30)
        while !agent.stderrSoFar.contains("agent started"), Date() < deadline { usleep(20_000) }
        agent.signal(SIGTERM)
        let ended = agent.wait(timeout: 30)
        #expect(!ended.signalled && ended.status == 0, "status \(ended.status): \(ended.stderr)")
        // Whatever the first run got to, the next one completes it, once.
        let next = try AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(bench.posts("ticket-101").count == 1)
    }
}
