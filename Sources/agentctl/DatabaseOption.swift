import ArgumentParser
import Foundation
import Store

/// `--database PATH`, shared by the commands that open the store; without
/// it, the XDG default (docs/store.md).
struct DatabaseOption: ParsableArguments {
    @Option(name: .customLong("database"), help: ArgumentHelp(
        "The database file (default: $XDG_DATA_HOME/agentctl/agentctl.sqlite, else ~/.local/share/agentctl/agentctl.sqlite).",
        valueName: "PATH"))
    var path: String?

    /// Opens (creating on first use) the database, or prints why not and
    /// exits 2.
    func open() throws -> StoreDatabase {
        do {
            if let path { return try StoreDatabase(path: path) }
            return try StoreDatabase.openDefault(environment: ProcessInfo.processInfo.environment)
        } catch let error as StoreError {
            StandardError.print("error: \(error.description)")
            throw ExitCode(2)
        }
    }
}
