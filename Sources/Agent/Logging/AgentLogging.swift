import Foundation
import Logging

/// The agent's logging: JSON or text lines through swift-log, with the
/// secrets the agent resolved scrubbed from every line. See
/// docs/observability.md.
///
///     AgentLogging.bootstrap(format: .json)          // once, at start
///     AgentLogging.secrets.register(rtToken)         // as each is resolved
///     let logger = Logger(label: "agent.rt")
///
/// Tests and code that must not touch the process-wide logging system make
/// their own logger with `logger(label:format:…)`.
public enum AgentLogging {
    /// The process's registry, which `bootstrap` hands every handler:
    /// register each secret here as soon as it is resolved.
    public static let secrets = LogSecrets()

    private static let bootstrapLock = NSLock()
    nonisolated(unsafe) private static var bootstrapped = false

    /// Makes every `Logger(label:)` of the process write `format` lines at
    /// `level` and above to `output`. swift-log allows one bootstrap per
    /// process: a later call changes nothing and returns false.
    @discardableResult
    public static func bootstrap(format: LogFormat, level: Logger.Level = .info, secrets: LogSecrets = AgentLogging.secrets, output: LogOutput = .standardError) -> Bool {
        bootstrapLock.lock()
        defer { bootstrapLock.unlock() }
        guard !bootstrapped else { return false }
        bootstrapped = true
        LoggingSystem.bootstrap { label in
            makeHandler(label: label, format: format, level: level, secrets: secrets, output: output)
        }
        return true
    }

    public static func makeHandler(label: String, format: LogFormat, level: Logger.Level = .info, secrets: LogSecrets = AgentLogging.secrets, output: LogOutput = .standardError) -> any LogHandler {
        AgentLogHandler(label: label, format: format, level: level, secrets: secrets, output: output)
    }

    /// A logger of its own, without the process-wide bootstrap.
    public static func logger(label: String, format: LogFormat, level: Logger.Level = .info, secrets: LogSecrets = AgentLogging.secrets, output: LogOutput = .standardError) -> Logger {
        Logger(label: label) { label in
            makeHandler(label: label, format: format, level: level, secrets: secrets, output: output)
        }
    }
}
