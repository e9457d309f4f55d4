/// What a reader produced from a file: the messages in order, the format
/// it was read as, and what it had to skip or forgive.
public struct Trace: Sendable, Codable {
    public var format: TraceFormat
    public var messages: [CapturedMessage]
    public var warnings: [String]
    /// RTP and RTCP measured in a capture; nil for text traces, which
    /// cannot carry media.
    public var media: MediaCapture?

    public init(format: TraceFormat, messages: [CapturedMessage], warnings: [String] = [], media: MediaCapture? = nil) {
        self.format = format
        self.messages = messages
        self.warnings = warnings
        self.media = media
    }
}
