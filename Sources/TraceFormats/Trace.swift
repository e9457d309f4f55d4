/// What a reader produced from a file: the messages in order, the format
/// it was read as, and what it had to skip or forgive.
public struct Trace: Sendable, Codable {
    public var format: TraceFormat
    public var messages: [CapturedMessage]
    public var warnings: [String]
    /// RTP and RTCP measured in a capture; nil for text traces, which
    /// cannot carry media.
    public var media: MediaCapture?
    /// Call-IDs in the source whose messages were left out because only
    /// some calls were asked for (`CaptureLoader.Options.callIDs`), for the
    /// list a Call-ID that is not there is answered with. A capture fills
    /// it only when none of the Call-IDs asked for is there (by a second
    /// scan: listing as it goes would double a filtered scan's time); a
    /// text trace always.
    public var skippedCallIDs: [String]
    /// The platform's own error, warning and notice lines found between
    /// the messages of a console paste, in reading order; empty for
    /// captures and for traces that hold none.
    public var platformLog: [PlatformLogLine]
    /// The dialog-creating INVITEs a filtered read passed by near the
    /// call's own (`CaptureLoader.Options.holdInvites`), for the leg tie's
    /// window to be applied without a second read; not encoded.
    public var heldInvites: HeldInvites?

    enum CodingKeys: String, CodingKey {
        case format, messages, warnings, media, skippedCallIDs, platformLog
    }

    public init(format: TraceFormat, messages: [CapturedMessage], warnings: [String] = [], media: MediaCapture? = nil,
                skippedCallIDs: [String] = [], platformLog: [PlatformLogLine] = []) {
        self.format = format
        self.messages = messages
        self.warnings = warnings
        self.media = media
        self.skippedCallIDs = skippedCallIDs
        self.platformLog = platformLog
    }
}
