import ArgumentParser
import AgentConfig
import Foundation
import Store

/// The configuration file and the database a command works on. The
/// database is `--database`, else the configuration's `database:`, else
/// the XDG default; the configuration is `--config`, else
/// `$AGENTCTL_CONFIG`, else `config/agent.yaml`, else none (defaults).
struct AgentOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp(
        "The configuration file (default: $AGENTCTL_CONFIG, else config/agent.yaml if present, else none).",
        valueName: "FILE"))
    var config: String?

    @Option(name: .customLong("database"), help: ArgumentHelp(
        "The database file (default: the configuration's, else $XDG_DATA_HOME/agentctl/agentctl.sqlite, else ~/.local/share/agentctl/agentctl.sqlite).",
        valueName: "PATH"))
    var database: String?

    /// The configuration, its warnings printed; a file with mistakes stops
    /// the command (exit 2) with each mistake named, as `config check` would.
    func configuration() throws -> AgentConfiguration {
        do {
            let loaded = try AgentConfiguration.load(option: config)
            if let file = loaded.file {
                for warning in loaded.warnings { StandardError.print("warning: \(warning.rendered(file: file.path))") }
            }
            return loaded.configuration
        } catch {
            StandardError.print("error: \(error.description)")
            throw ExitCode(2)
        }
    }

    /// Opens (creating on first use) the database, or prints why not and
    /// exits 2.
    func open(_ configuration: AgentConfiguration? = nil) throws -> StoreDatabase {
        let configured = try database == nil ? (configuration ?? self.configuration()).databasePath : nil
        do {
            if let path = database ?? configured {
                return try StoreDatabase(path: path)
            }
            return try StoreDatabase.openDefault(environment: ProcessInfo.processInfo.environment)
        } catch let error as StoreError {
            StandardError.print("error: \(error.description)")
            throw ExitCode(2)
        }
    }
}
