import Foundation
import Testing

/// The exactly-once proof: agentctl killed with a real SIGKILL at each
/// step of a post (after the claim, during the post, after the post before
/// the ledger knows), then run again: every ticket ends with exactly one
/// annotation, none lost, none doubled.
@Suite(.serialized) struct AgentCrashTests {
    static let tickets = ["ticket-101", "ticket-102", "ticket-103", "ticket-104", "ticket-105"]

    @Test(arguments: ["after-claim", "during-post", "after-post"])
    func aKillAtEachStepThenARestartGivesExactlyOneAnnotation(fault: String) async throws {
        let bench = try AgentTestBench(tickets: Self.tickets)
        let config = try bench.writeConfiguration(lease: "1s")
        let killed = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: ["AGENTCTL_FAULT": fault])
        #expect(killed.signalled && killed.status == SIGKILL, "expected a SIGKILL at \(fault); got status \(killed.status): \(killed.stderr)")
        let before = Self.tickets.map { bench.posts($0).count }
        if fault == "after-post" { #expect(before.reduce(0, +) >= 1, "after-post kills once a post is out") }
        if fault == "after-claim" { #expect(before.reduce(0, +) == 0, "after-claim kills before any post") }

        let restarted = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(restarted.status == 0 && !restarted.signalled, "\(restarted.stderr)")
        for ticket in Self.tickets {
            #expect(bench.posts(ticket).count == 1, "\(fault): \(ticket) has \(bench.posts(ticket))\n\(restarted.stderr)")
        }
        // And a third run finds nothing left to do.
        let again = try await AgentctlRun.run(["run", "--config", config, "--once"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("posted 0,"), "\(again.stdout)")
        for ticket in Self.tickets { #expect(bench.posts(ticket).count == 1) }
    }

    @Test func anUnknownFaultPointIsRefused() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let config = try bench.writeConfiguration()
        let ended = try await AgentctlRun.run(["run", "--config", config, "--once"], environment: ["AGENTCTL_FAULT": "after-lunch"])
        #expect(ended.status == 2 && !ended.signalled)
        #expect(ended.stderr.contains("after-lunch is not a fault point"))
        #expect(bench.posts("ticket-101").isEmpty)
    }
}
