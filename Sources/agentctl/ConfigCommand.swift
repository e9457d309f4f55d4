import ArgumentParser
import AgentConfig
import Foundation

/// `agentctl config`: the configuration file.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the agent's configuration file.",
        subcommands: [ConfigCheck.self]
    )
}

/// `agentctl config check`: every mistake in the file, each with its line,
/// its key and what to write instead, so one run fixes them all.
struct ConfigCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Name every mistake in the configuration file, with its line and what to write instead.",
        discussion: """
        The file is --config FILE, else $AGENTCTL_CONFIG, else config/agent.yaml \
        (or .yml) below the working directory; with none, the defaults apply and \
        there is nothing to check. Each mistake is printed as \
        FILE:LINE: key: what is wrong; write X instead. A secret variable not \
        set here, or a secret file not readable here, is a warning: the file may \
        be meant for another machine.

        Exit codes:
          0  no mistakes (warnings may be printed), or no file and the defaults apply
          1  mistakes were found, or the file named cannot be read
        """
    )

    @Option(name: .customLong("config"), help: ArgumentHelp("The configuration file to check.", valueName: "FILE"))
    var file: String?

    func run() throws {
        let found: ConfigurationFile
        let check: ConfigurationCheck
        do {
            guard let file = try ConfigurationFile.locate(option: file) else {
                print("no configuration file (looked for --config, $\(ConfigurationFile.environmentVariable), "
                      + ConfigurationFile.defaultPaths.joined(separator: ", ") + "); the defaults apply")
                return
            }
            found = file
            check = try ConfigurationCheck(file: file.path)
        } catch {
            StandardError.print("error: \(error.description)")
            throw ExitCode(1)
        }
        // Paths as the user would write them: relative to here when below it.
        let shown = Self.relative(found.path)
        print("configuration: \(shown) (\(found.originText))")
        for problem in check.problems { print(problem.rendered(file: shown)) }
        let warnings = check.warnings.count
        let warned = warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""
        guard !check.mistakes.isEmpty else {
            print("\(shown): no mistakes\(warned)")
            return
        }
        let mistakes = check.mistakes.count
        print("\(shown): \(mistakes) mistake\(mistakes == 1 ? "" : "s")\(warned)")
        throw ExitCode(1)
    }

    static func relative(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath
        let prefix = here.hasSuffix("/") ? here : here + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
