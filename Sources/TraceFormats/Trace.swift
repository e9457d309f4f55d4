/// What a reader produced from a file: the messages in order, the format
/// it was read as, and what it had to skip or forgive.
public struct Trace: Sendable, Codable {
    public var format: TraceFormat
    public var messages: [CapturedMessage]
    public var warnings: [String]

    public init(format: TraceFormat, messages: [CapturedMessage], warnings: [String] = []) {
        self.format = format
        self.messages = messages
        self.warnings = warnings
    }
}
