import Foundation

/// What reading a configuration gave: the values (defaults where the file
/// is silent or wrong) and every problem found, in file order.
public struct ConfigurationCheck: Sendable {
    public var configuration: AgentConfiguration
    public var problems: [ConfigurationProblem]

    public var mistakes: [ConfigurationProblem] { problems.filter { $0.severity == .mistake } }
    public var warnings: [ConfigurationProblem] { problems.filter { $0.severity == .warning } }

    static let maxFileBytes = 1 << 20

    /// Reads YAML text. Relative paths in it are taken from `directory`
    /// (the file's own); `environment` is where secret variables are
    /// looked for, to warn about those not set.
    public init(yaml: String, directory: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        var reader = ConfigurationReader(baseDirectory: directory, environment: environment)
        configuration = reader.read(yaml)
        // Stable by line: the order a reader of the file meets them.
        problems = reader.problems.enumerated().sorted {
            ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset)
        }.map(\.element)
    }

    /// Reads a file.
    public init(file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) {
        let data: Data
        do {
            // A configuration is a few kilobytes; anything near this is a wrong path.
            let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= Self.maxFileBytes else {
                throw ConfigurationError.unreadable(file, reason: "\(size) bytes, more than a configuration's \(ByteSize.text(Self.maxFileBytes)); is it the right file?")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw .unreadable(file, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(file, reason: "not UTF-8 text") }
        self.init(yaml: text, directory: URL(fileURLWithPath: file).deletingLastPathComponent().path, environment: environment)
    }
}

extension AgentConfiguration {
    /// The configuration the agent runs on: the file found by
    /// `ConfigurationFile.locate` read and checked, or the defaults when
    /// there is none. A file with mistakes is refused whole (a half-read
    /// configuration would run with settings nobody chose); warnings are
    /// returned for the caller to print.
    public static func load(option: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            workingDirectory: String = FileManager.default.currentDirectoryPath)
        throws(ConfigurationError) -> (configuration: AgentConfiguration, file: ConfigurationFile?, warnings: [ConfigurationProblem]) {
        guard let file = try ConfigurationFile.locate(option: option, environment: environment, workingDirectory: workingDirectory) else {
            return (AgentConfiguration(), nil, [])
        }
        let check = try ConfigurationCheck(file: file.path, environment: environment)
        guard check.mistakes.isEmpty else { throw .invalid(file.path, check.problems) }
        return (check.configuration, file, check.warnings)
    }
}
