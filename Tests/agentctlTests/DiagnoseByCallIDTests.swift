import Foundation
import Store
import Testing

/// `agentctl diagnose --call-id ID` with no trace file: the call found
/// through the index (or a configured directory scanned), its verdict
/// cached by Call-IDs, trace digest and engine version.
@Suite struct DiagnoseByCallIDTests {
    static let callID = "89f3a1b2-c4d5-6e7f@10.10.1.50"
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/traces/field-guide/outbound-call.txt").standardizedFileURL

    /// The test's environment without a configuration of the machine's own,
    /// with the XDG data directory in the scratch directory.
    static func environment(_ scratch: Scratch, _ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["AGENTCTL_CONFIG"] = nil
        env["XDG_DATA_HOME"] = scratch.path("xdg")
        return env.merging(extra) { $1 }
    }

    static func exports(_ scratch: Scratch) throws -> String {
        let dir = scratch.path("exports")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.path, toPath: dir + "/sbc.txt")
        return dir
    }

    @Test func aCallIndexedOnAFreshMachineIsFoundByItsCallIDAloneAndCached() throws {
        let scratch = try Scratch()
        let dir = try Self.exports(scratch)
        let env = Self.environment(scratch)
        // No --database: the XDG default, as on a fresh machine.
        let index = try AgentctlProcess.run(["index", dir, "--settle-seconds", "0"], environment: env, directory: URL(fileURLWithPath: scratch.path("")))
        #expect(index.status == 0, "\(index.stderr)")
        #expect(FileManager.default.fileExists(atPath: scratch.path("xdg/agentctl/agentctl.sqlite")))

        let first = try AgentctlProcess.run(["diagnose", "--call-id", Self.callID], environment: env, directory: URL(fileURLWithPath: "/"))
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("Healthy call"))
        #expect(first.stdout.contains("Call-ID \(Self.callID)"))
        #expect(first.stderr.contains("found in exports \(dir)"))
        #expect(!first.stderr.contains("not indexed"))

        let again = try AgentctlProcess.run(["diagnose", "--call-id", Self.callID], environment: env, directory: URL(fileURLWithPath: "/"))
        #expect(again.stdout == first.stdout)
        let stats = try AgentctlProcess.run(["cache", "stats"], environment: env)
        #expect(stats.stdout.contains("entries: 1,"), "\(stats.stdout)")
        #expect(stats.stdout.contains("hits: 1,"), "\(stats.stdout)")

        // The trace grows (a later export of the same call): another digest,
        // so a new verdict, never the stale one.
        let grown = try String(contentsOfFile: dir + "/sbc.txt", encoding: .utf8) + "\n"
        try grown.write(toFile: dir + "/sbc.txt", atomically: false, encoding: .utf8)
        #expect(try AgentctlProcess.run(["index", dir, "--settle-seconds", "0"], environment: env).stdout.hasPrefix("indexed 1 file"))
        #expect(try AgentctlProcess.run(["diagnose", "--call-id", Self.callID], environment: env).status == 0)
        #expect(try AgentctlProcess.run(["cache", "stats"], environment: env).stdout.contains("entries: 2,"))
    }

    @Test func aCallNoSourceHoldsExitsThreeNamingWhereItLooked() throws {
        let scratch = try Scratch()
        let dir = try Self.exports(scratch)
        let env = Self.environment(scratch)
        _ = try AgentctlProcess.run(["index", dir, "--settle-seconds", "0"], environment: env)
        // A hostile Call-ID is only ever a key: nothing outside is read.
        let run = try AgentctlProcess.run(["diagnose", "--call-id", "../../etc/passwd"], environment: env)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("no trace for Call-ID ../../etc/passwd in exports \(dir)"))
        #expect(run.stdout.isEmpty)
    }

    @Test func withNothingIndexedOrConfiguredItSaysWhereToLook() throws {
        let scratch = try Scratch()
        let run = try AgentctlProcess.run(["diagnose", "--call-id", Self.callID], environment: Self.environment(scratch))
        #expect(run.status == 2)
        #expect(run.stderr.contains("index an export directory (agentctl index /srv/exports)"))
        let neither = try AgentctlProcess.run(["diagnose"], environment: Self.environment(scratch))
        #expect(neither.status == 64)
        #expect(neither.stderr.contains("give a trace file, or --call-id ID"))
    }

    @Test func aConfiguredDirectoryNotYetIndexedIsScannedAndSaysSo() throws {
        let scratch = try Scratch()
        let dir = try Self.exports(scratch)
        let config = scratch.path("agent.yaml")
        try "exports:\n  - path: \(dir)\n".write(toFile: config, atomically: true, encoding: .utf8)
        let run = try AgentctlProcess.run(["diagnose", "--call-id", Self.callID, "--config", config, "--database", scratch.path("db.sqlite")],
                                          environment: Self.environment(scratch))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Healthy call"))
        #expect(run.stderr.contains("not indexed"))
        // Then `agentctl index` with no directory indexes the configured one.
        let index = try AgentctlProcess.run(["index", "--config", config, "--database", scratch.path("db.sqlite")], environment: Self.environment(scratch))
        #expect(index.status == 0, "\(index.stderr)")
        #expect(index.stdout.contains("2 calls"))
    }

    @Test func aConfigurationWithAMistakeStopsTheCommandNamingTheLine() throws {
        let scratch = try Scratch()
        let config = scratch.path("agent.yaml")
        try "exports:\n  - path: /srv/x\n    max_file_size: lots\n".write(toFile: config, atomically: true, encoding: .utf8)
        let run = try AgentctlProcess.run(["diagnose", Self.fixture.path, "--config", config], environment: Self.environment(scratch))
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(config):3:"), "\(run.stderr)")
        #expect(run.stderr.contains("agentctl config check"))
    }

    @Test func configuredPeerNamesNameTheParticipants() throws {
        let scratch = try Scratch()
        let config = scratch.path("agent.yaml")
        try "peers:\n  203.0.113.0/24: UPSTREAM\n".write(toFile: config, atomically: true, encoding: .utf8)
        let trace = Self.fixture.deletingLastPathComponent().appendingPathComponent("../first-failure/lone-486-snippet.txt").standardizedFileURL.path
        let run = try AgentctlProcess.run(["diagnose", trace, "--config", config], environment: Self.environment(scratch))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("UPSTREAM"))
        // The command line's name wins over the file's.
        let named = try AgentctlProcess.run(["diagnose", trace, "--config", config, "--peer", "203.0.113.77=CARRIER"], environment: Self.environment(scratch))
        #expect(named.stdout.contains("CARRIER") && !named.stdout.contains("UPSTREAM"))
        let plain = try AgentctlProcess.run(["diagnose", trace], environment: Self.environment(scratch))
        #expect(!plain.stdout.contains("UPSTREAM"))
    }

    @Test func theConfiguredLimitsApplyToATraceFile() throws {
        let scratch = try Scratch()
        let config = scratch.path("agent.yaml")
        try "limits:\n  max_text_trace_size: 1 KiB\n".write(toFile: config, atomically: true, encoding: .utf8)
        let run = try AgentctlProcess.run(["diagnose", Self.fixture.path, "--config", config], environment: Self.environment(scratch))
        #expect(run.status == 2)
        #expect(run.stderr.contains("over the 1024-byte limit for text traces"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}
