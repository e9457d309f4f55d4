import Foundation
import Testing

/// `agentctl config check` run as a user runs it.
@Suite struct ConfigCheckCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let example = root.appendingPathComponent("config/agent.example.yaml").path
    static let broken = root.appendingPathComponent("config/examples/broken.yaml").path

    /// A working directory with no configuration in it.
    func withDirectory(_ body: (URL) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir.resolvingSymlinksInPath())
    }

    /// An empty directory of its own: the checkout itself may lie below
    /// the temporary directory (a CI clone in /tmp), and a file below the
    /// working directory is shown by its relative path.
    static func elsewhere() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func theDocumentedExamplePasses() throws {
        let dir = try Self.elsewhere()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try AgentctlProcess.run(["config", "check", "--config", Self.example], environment: ["HOMER_PASSWORD": "x"],
                                        directory: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("configuration: \(Self.example) (named by --config)\n"))
        #expect(r.stdout.contains(": no mistakes, "))
        #expect(r.stdout.contains(":23: warning: exports[0].path: /srv/exports/sbc does not exist here") == !FileManager.default.fileExists(atPath: "/srv/exports/sbc"))
        #expect(r.stdout.contains(":49: warning: http_sources[0].auth.token_file: the secret file /run/secrets/capture-api-token does not exist"))
    }

    @Test func theBrokenExampleNamesEachMistakeWithItsLine() throws {
        // From elsewhere, so the file is shown by its absolute path.
        let dir = try Self.elsewhere()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try AgentctlProcess.run(["config", "check", "--config", Self.broken], environment: [:],
                                        directory: dir)
        #expect(r.status == 1)
        let expected = [
            "5: exprots: is not a setting here; did you mean exports?",
            "9: exports[0].max_file_size: \"2 gigs\" is not a size; write",
            "18: homer[0].password: a secret is written inline",
            "23: homer[1].serach_window: is not a setting here; did you mean search_window?",
            "31: http_sources[0].auth.token: a secret is written inline",
            "33: peers.\"203.0.113.0/33\":",
            "26: http_sources[0].url: \"https://captures.example.net/calls/{call_id}\" has no {callid} ({call_id} is not it",
            "22: warning: homer[1].password_env: the environment variable HOMER_WEST_PASSWORD is not set",
        ]
        for line in expected {
            #expect(r.stdout.contains("\(Self.broken):\(line)"), "missing \(line)\n\(r.stdout)")
        }
        #expect(r.stdout.contains("\(Self.broken): 16 mistakes, "))
        #expect(!r.stdout.contains("hunter2") && !r.stdout.contains("abc123"))
    }

    @Test func theFileIsFoundThroughTheVariableAndBelowTheWorkingDirectory() throws {
        try withDirectory { dir in
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("config"), withIntermediateDirectories: true)
            try Data("limits:\n  max_capture_size: 20\n".utf8).write(to: dir.appendingPathComponent("config/agent.yaml"))
            let below = try AgentctlProcess.run(["config", "check"], environment: [:], directory: dir)
            #expect(below.status == 1)
            #expect(below.stdout.contains("configuration: config/agent.yaml (found below the working directory)"))
            #expect(below.stdout.contains("config/agent.yaml:2: limits.max_capture_size: \"20\" is not a size (a number needs its unit)"))

            let viaVariable = try AgentctlProcess.run(["config", "check"], environment: ["AGENTCTL_CONFIG": Self.example, "HOMER_PASSWORD": "x"], directory: dir)
            #expect(viaVariable.status == 0, "\(viaVariable.stdout)")
            #expect(viaVariable.stdout.contains("(named by $AGENTCTL_CONFIG)"))
        }
    }

    @Test func noFileMeansTheDefaultsAndSuccess() throws {
        try withDirectory { dir in
            let r = try AgentctlProcess.run(["config", "check"], environment: [:], directory: dir)
            #expect(r.status == 0)
            #expect(r.stdout.contains("no configuration file"))
            #expect(r.stdout.contains("the defaults apply"))
        }
    }

    @Test func aPathBelowTheWorkingDirectoryIsShownRelative() throws {
        let r = try AgentctlProcess.run(["config", "check", "--config", Self.broken], environment: [:], directory: Self.root)
        #expect(r.stdout.contains("\nconfig/examples/broken.yaml:5: exprots:"))
    }

    @Test func aNamedFileThatIsMissingIsAnError() throws {
        try withDirectory { dir in
            let r = try AgentctlProcess.run(["config", "check", "--config", "nope.yaml"], environment: [:], directory: dir)
            #expect(r.status == 1)
            #expect(r.stderr.contains("nope.yaml given with --config does not exist"))
        }
    }
}
