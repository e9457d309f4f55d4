import Foundation
import Logging

/// The agent's log handler: each event made a `LogRecord` (secrets
/// registered in `secrets` already scrubbed), written as one line in the
/// chosen format (`JSONLogLine`, `TextLogLine`).
public struct AgentLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level

    public let format: LogFormat
    private let label: String
    private let secrets: LogSecrets
    private let output: LogOutput

    public init(label: String, format: LogFormat, level: Logger.Level = .info, secrets: LogSecrets = AgentLogging.secrets,
                output: LogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.format = format
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
        switch format {
        case .json: output.write(JSONLogLine.line(record))
        case .text: output.write(TextLogLine.line(record))
        }
    }
}
