import Foundation
import Logging

/// One line per event for a person at a terminal:
/// `2026-12-02T13:41:06.123Z info agent.rt: polled backend=rt-noc threads=3`
/// (metadata as sorted key=value pairs, quoted when needed). Secrets
/// registered in `secrets` never reach the line; a message's own newlines
/// are escaped so one event stays one line.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level

    private let label: String
    private let secrets: LogSecrets
    private let output: LogOutput

    public init(label: String, level: Logger.Level = .info, secrets: LogSecrets = AgentLogging.secrets, output: LogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.secrets = secrets
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let record = LogRecord(event: event, label: label, handlerMetadata: metadata, provider: metadataProvider, secrets: secrets)
        output.write(Self.line(record))
    }

    static func line(_ record: LogRecord) -> String {
        var line = "\(LogRecord.timestamp(record.time)) \(record.level.rawValue) \(record.label): \(oneLine(record.message))"
        for pair in record.metadata {
            line += " \(pair.key)=\(pair.value.text)"
        }
        if let error = record.error {
            line += " error=\(LogValue.string(oneLine(error)).text)"
        }
        return line
    }

    private static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }
}
