import Foundation
import Testing

/// The fuzz regression inputs through the built binary, as a user runs
/// it: `JI=1e300` in an X-RTP-Stat header once stopped agentctl with
/// SIGILL. A trap would show as a non-zero status (the signal) and no
/// output; every input must be diagnosed (exit 0) in every format.
@Suite struct FuzzRegressionCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz/regressions")
    static let traces = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
        .filter { $0.hasSuffix(".txt") }.sorted()

    @Test(arguments: traces)
    func regressionInputIsDiagnosedByAgentctlInEveryFormat(_ name: String) throws {
        let path = Self.root.appendingPathComponent(name).path
        for format in ["text", "markdown", "json"] {
            let r = try AgentctlProcess.run(["diagnose", path, "--format", format])
            #expect(r.status == 0, "\(name) --format \(format): exit \(r.status)\n\(r.stderr)")
            #expect(!r.stdout.isEmpty, "\(name) --format \(format): no output")
        }
    }

    @Test func theIssuesJitterPrintsAsSent() throws {
        let r = try AgentctlProcess.run(["diagnose", Self.root.appendingPathComponent("rtp-stat-jitter-1e300.txt").path])
        #expect(r.status == 0, "exit \(r.status)\n\(r.stderr)")
        #expect(r.stdout.contains("jitter 1e+300 ms"), "\(r.stdout)")
    }
}
