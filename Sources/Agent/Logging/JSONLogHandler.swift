import Foundation
import Logging

/// One JSON object per line, keys in a fixed order:
/// `{"time":"2026-12-02T13:41:06.123Z","level":"info","label":"agent.rt","message":"…","metadata":{…}}`
/// and `"error"` when the call passed one. Secrets registered in `secrets`
/// never reach the line.
public struct JSONLogHandler: LogHandler {
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
        var line = "{\"time\":\"\(LogRecord.timestamp(record.time))\""
        line += ",\"level\":\"\(record.level.rawValue)\""
        line += ",\"label\":" + JSONText.string(record.label)
        line += ",\"message\":" + JSONText.string(record.message)
        line += ",\"metadata\":" + LogValue.dictionary(record.metadata).json
        if let error = record.error {
            line += ",\"error\":" + JSONText.string(error)
        }
        return line + "}"
    }
}
