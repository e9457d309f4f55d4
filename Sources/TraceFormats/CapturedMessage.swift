import SIPCore

/// One SIP message as a trace recorded it: when, between whom, and what.
public struct CapturedMessage: Sendable, Hashable, Codable {
    /// Position in the trace, from 1, in reading order: the message
    /// reference shown to the user (`#7`).
    public var index: Int
    /// Seconds; since the Unix epoch when the trace gives a date, since
    /// midnight when it gives only a time of day, nil when it gives none.
    public var timestamp: Double?
    public var source: Endpoint?
    public var destination: Endpoint?
    /// Role names the trace itself gives (`PHONE -> CORE`).
    public var sourceLabel: String?
    public var destinationLabel: String?
    /// `UDP`, `TCP`, `TLS`, `WS` when the trace says.
    public var transport: String?
    public var message: SIPMessage
    /// Line in the source file where the message starts, from 1 (0 when the
    /// format has no lines, like a capture).
    public var line: Int
    /// Numbers of the capture frames that carried the message (several
    /// for IP fragments or TCP segments); nil for text traces. What
    /// `agentctl extract` copies.
    public var frames: [Int]?

    public init(index: Int, timestamp: Double?, source: Endpoint? = nil, destination: Endpoint? = nil,
                sourceLabel: String? = nil, destinationLabel: String? = nil, transport: String? = nil,
                message: SIPMessage, line: Int = 0, frames: [Int]? = nil) {
        self.index = index
        self.timestamp = timestamp
        self.source = source
        self.destination = destination
        self.sourceLabel = sourceLabel
        self.destinationLabel = destinationLabel
        self.transport = transport
        self.message = message
        self.line = line
        self.frames = frames
    }
}
