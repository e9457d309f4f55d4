import Foundation
import Testing
@testable import AgentConfig

@Suite struct ConfigurationFileTests {
    /// A working directory holding `config/agent.yaml` and `other.yaml`.
    func withTree(defaultName: String? = "agent.yaml", _ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("config"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        if let defaultName { try Data("{}\n".utf8).write(to: dir.appendingPathComponent("config/\(defaultName)")) }
        try Data("{}\n".utf8).write(to: dir.appendingPathComponent("other.yaml"))
        try body(dir.standardizedFileURL.path)
    }

    @Test func theOptionComesFirstThenTheVariableThenTheWorkingDirectory() throws {
        try withTree { dir in
            let env = ["AGENTCTL_CONFIG": "\(dir)/config/agent.yaml"]
            let byOption = try ConfigurationFile.locate(option: "other.yaml", environment: env, workingDirectory: dir)
            #expect(byOption == ConfigurationFile(path: "\(dir)/other.yaml", origin: .option))
            let byVariable = try ConfigurationFile.locate(option: nil, environment: ["AGENTCTL_CONFIG": "other.yaml"], workingDirectory: dir)
            #expect(byVariable == ConfigurationFile(path: "\(dir)/other.yaml", origin: .environment))
            let byDirectory = try ConfigurationFile.locate(option: nil, environment: ["AGENTCTL_CONFIG": ""], workingDirectory: dir)
            #expect(byDirectory == ConfigurationFile(path: "\(dir)/config/agent.yaml", origin: .workingDirectory))
        }
    }

    @Test func theYmlSpellingIsFoundToo() throws {
        try withTree(defaultName: "agent.yml") { dir in
            let found = try ConfigurationFile.locate(option: nil, environment: [:], workingDirectory: dir)
            #expect(found?.path == "\(dir)/config/agent.yml")
        }
    }

    @Test func noFileAnywhereMeansTheDefaults() throws {
        try withTree(defaultName: nil) { dir in
            #expect(try ConfigurationFile.locate(option: nil, environment: [:], workingDirectory: dir) == nil)
            let loaded = try AgentConfiguration.load(option: nil, environment: [:], workingDirectory: dir)
            #expect(loaded.configuration == AgentConfiguration())
            #expect(loaded.file == nil)
        }
    }

    @Test func aNamedFileThatIsMissingStopsRatherThanFallingBack() throws {
        try withTree { dir in
            #expect(throws: ConfigurationError.missing("\(dir)/nope.yaml", origin: .option)) {
                try ConfigurationFile.locate(option: "nope.yaml", environment: [:], workingDirectory: dir)
            }
            #expect(throws: ConfigurationError.missing("\(dir)/nope.yaml", origin: .environment)) {
                try ConfigurationFile.locate(option: nil, environment: ["AGENTCTL_CONFIG": "nope.yaml"], workingDirectory: dir)
            }
            #expect(ConfigurationError.missing("/x", origin: .environment).description.contains("unset the variable"))
            // A directory is not a configuration file.
            #expect(throws: ConfigurationError.self) {
                try ConfigurationFile.locate(option: "config", environment: [:], workingDirectory: dir)
            }
        }
    }

    @Test func loadRefusesAFileWithMistakesAndListsThem() throws {
        try withTree { dir in
            try Data("exprots: []\nlimits:\n  max_capture_size: 20\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/config/agent.yaml"))
            do throws(ConfigurationError) {
                _ = try AgentConfiguration.load(option: nil, environment: [:], workingDirectory: dir)
                Issue.record("a file with mistakes was loaded")
            } catch {
                guard case .invalid(let path, let problems) = error else { Issue.record("\(error)"); return }
                #expect(path == "\(dir)/config/agent.yaml")
                #expect(problems.map(\.line) == [1, 3])
                #expect(error.description.contains("agent.yaml:3: limits.max_capture_size:"))
            }
        }
    }

    @Test func aFileThatIsNotTextOrFarTooLargeIsRefusedByName() throws {
        try withTree { dir in
            let binary = "\(dir)/binary.yaml"
            try Data([0xff, 0xfe, 0x00, 0x41]).write(to: URL(fileURLWithPath: binary))
            #expect(throws: ConfigurationError.unreadable(binary, reason: "not UTF-8 text")) { try ConfigurationCheck(file: binary, environment: [:]) }
            let huge = "\(dir)/huge.yaml"
            try Data(repeating: 0x23, count: ConfigurationCheck.maxFileBytes + 1).write(to: URL(fileURLWithPath: huge))
            do throws(ConfigurationError) {
                _ = try ConfigurationCheck(file: huge, environment: [:])
                Issue.record("a file over the limit was read")
            } catch {
                #expect(error.description.contains("is it the right file?"))
            }
        }
    }

    @Test func relativePathsInAFileAreTakenFromItsDirectory() throws {
        try withTree { dir in
            try Data("database: state/agent.sqlite\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/config/agent.yaml"))
            let loaded = try AgentConfiguration.load(option: nil, environment: [:], workingDirectory: dir)
            #expect(loaded.configuration.databasePath == "\(dir)/config/state/agent.sqlite")
        }
    }
}
