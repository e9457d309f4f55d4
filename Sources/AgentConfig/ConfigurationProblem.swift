/// One thing wrong in the configuration file, where it is and what to
/// write instead: `config/agent.yaml:12: homer[0].password: ...`.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: Sendable, Equatable {
        /// The file is wrong: the agent refuses to start on it.
        case mistake
        /// The file is right but something it names is missing here (an
        /// unset secret variable): fine on the machine that has it.
        case warning
    }

    public var severity: Severity
    /// 1-based; nil when the problem is the whole file (it is empty, say).
    public var line: Int?
    /// The key's path: `exports[1].max_file_size`, `peers."10.0.0.0/33"`.
    public var key: String
    /// What is wrong, then what to write instead.
    public var message: String

    public init(_ severity: Severity = .mistake, line: Int?, key: String, _ message: String) {
        self.severity = severity
        self.line = line
        self.key = key
        self.message = message
    }

    /// The line as `config check` prints it, compiler style so editors jump to it.
    public func rendered(file: String) -> String {
        let place = line.map { "\(file):\($0)" } ?? file
        let prefix = severity == .warning ? "warning: " : ""
        return key.isEmpty ? "\(place): \(prefix)\(message)" : "\(place): \(prefix)\(key): \(message)"
    }

    public var description: String { rendered(file: "configuration") }
}
