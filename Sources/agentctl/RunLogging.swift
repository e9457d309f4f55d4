import AgentConfig
import Foundation
import Logging

/// The agent's log: one line per event on stderr, as text or JSON.
enum RunLogging {
    static func start(format: AgentSettings.LogFormat) -> Logger {
        LoggingSystem.bootstrap { label in
            switch format {
            case .text: return StreamLogHandler.standardError(label: label)
            case .json: return JSONLineLogHandler(label: label)
            }
        }
        var logger = Logger(label: "agentctl.run")
        logger.logLevel = .info
        return logger
    }
}

/// Until the listener piece's AgentLogging lands: one JSON object per line.
struct JSONLineLogHandler: LogHandler {
    var label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var object: [String: String] = [:]
        for (k, v) in self.metadata.merging(extra ?? [:], uniquingKeysWith: { _, b in b }) { object[k] = "\(v)" }
        let all: [String: Any] = ["time": ISO8601DateFormatter().string(from: Date()), "level": level.rawValue,
                                  "label": label, "message": message.description, "metadata": object]
        guard let data = try? JSONSerialization.data(withJSONObject: all, options: [.sortedKeys]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
