import Foundation

/// Where the store's one database file lives when nothing says otherwise:
/// `$XDG_DATA_HOME/agentctl/agentctl.sqlite`, else
/// `~/.local/share/agentctl/agentctl.sqlite` (the XDG Base Directory
/// default). `--database PATH` and the configuration file override it; the
/// caller decides that precedence, this only knows the default.
public enum DatabaseLocation {
    public static let directoryName = "agentctl"
    public static let fileName = "agentctl.sqlite"

    /// The default path for an environment (pass
    /// `ProcessInfo.processInfo.environment`; tests pass their own).
    /// XDG says a relative `XDG_DATA_HOME` is invalid and must be ignored.
    public static func defaultPath(environment: [String: String]) throws -> String {
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return join(dataHome, directoryName, fileName)
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else {
            throw StoreError.noDefaultLocation
        }
        return join(home, ".local/share", directoryName, fileName)
    }

    private static func join(_ parts: String...) -> String {
        var path = ""
        for part in parts {
            if path.isEmpty { path = part; continue }
            path = path.hasSuffix("/") ? path + part : path + "/" + part
        }
        return path
    }
}
