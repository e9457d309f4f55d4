import Foundation
import Testing

/// The hidden command that regenerates `Fixtures/engine-verdicts.txt`
/// writes exactly the file the engine-version test checks, and stays out
/// of the help.
@Suite struct EngineVerdictsCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func itPrintsTheCommittedFile() throws {
        let r = try AgentctlProcess.run(["engine-verdicts", Self.root.appendingPathComponent("Fixtures/traces").path])
        #expect(r.status == 0, "\(r.stderr)")
        let file = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/engine-verdicts.txt"), encoding: .utf8)
        #expect(r.stdout == file, "regenerate with: swift run agentctl engine-verdicts Fixtures/traces > Fixtures/engine-verdicts.txt")
        #expect(r.stdout.contains("\nengine-version "))
    }

    @Test func itIsNotInTheHelp() throws {
        let r = try AgentctlProcess.run(["--help"])
        #expect(r.stdout.contains("diagnose"))
        #expect(!r.stdout.contains("engine-verdicts"))
    }
}
