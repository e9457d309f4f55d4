import Foundation

/// Where the configuration comes from: `--config FILE`, else
/// `$AGENTCTL_CONFIG`, else `config/agent.yaml` (or `.yml`) below the
/// working directory, else nothing, and the defaults apply.
public struct ConfigurationFile: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        case option
        case environment
        case workingDirectory
    }

    public var path: String
    public var origin: Origin

    public static let environmentVariable = "AGENTCTL_CONFIG"
    /// Looked for below the working directory, in this order.
    public static let defaultPaths = ["config/agent.yaml", "config/agent.yml"]

    public init(path: String, origin: Origin) {
        self.path = path
        self.origin = origin
    }

    /// The file to read, nil when there is none (the defaults apply).
    /// A file named by `--config` or `$AGENTCTL_CONFIG` must exist: a typo
    /// there silently running on defaults would be worse than stopping.
    public static func locate(option: String?,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              workingDirectory: String = FileManager.default.currentDirectoryPath) throws(ConfigurationError) -> ConfigurationFile? {
        if let option {
            let path = absolute(option, from: workingDirectory)
            guard isFile(path) else { throw .missing(path, origin: .option) }
            return ConfigurationFile(path: path, origin: .option)
        }
        if let named = environment[environmentVariable], !named.isEmpty {
            let path = absolute(named, from: workingDirectory)
            guard isFile(path) else { throw .missing(path, origin: .environment) }
            return ConfigurationFile(path: path, origin: .environment)
        }
        for candidate in defaultPaths {
            let path = absolute(candidate, from: workingDirectory)
            if isFile(path) { return ConfigurationFile(path: path, origin: .workingDirectory) }
        }
        return nil
    }

    /// How it was found, for `config check`'s first line.
    public var originText: String {
        switch origin {
        case .option: return "named by --config"
        case .environment: return "named by $\(Self.environmentVariable)"
        case .workingDirectory: return "found below the working directory"
        }
    }

    static func absolute(_ path: String, from directory: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: directory).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    private static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}

public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--config` or `$AGENTCTL_CONFIG` names no file.
    case missing(String, origin: ConfigurationFile.Origin)
    case unreadable(String, reason: String)
    /// The file has mistakes; each says where and what to write.
    case invalid(String, [ConfigurationProblem])

    public var description: String {
        switch self {
        case .missing(let path, .option):
            return "the configuration file \(path) given with --config does not exist; check the path, or leave --config out to run on the defaults"
        case .missing(let path, _):
            return "the configuration file \(path) named by $\(ConfigurationFile.environmentVariable) does not exist; check the path, or unset the variable to run on the defaults"
        case .unreadable(let path, let reason):
            return "the configuration file \(path) cannot be read (\(reason)); give the agent's user read access"
        case .invalid(let path, let problems):
            let mistakes = problems.filter { $0.severity == .mistake }
            return "the configuration file \(path) has \(mistakes.count) mistake\(mistakes.count == 1 ? "" : "s"); run agentctl config check --config \(path):\n"
                + mistakes.map { $0.rendered(file: path) }.joined(separator: "\n")
        }
    }
}
