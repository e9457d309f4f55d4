/// How much a reader may take on, set by whoever calls it: the command
/// line keeps the defaults, an agent reading traces nobody checked may
/// want less.
public struct TraceLimits: Sendable, Equatable {
    /// Text traces over this are refused before reading: whole-day logs, not a call.
    public var maxTextBytes: Int
    /// Captures over this are refused (nil reads any size: a capture is
    /// streamed, so its size costs time, not memory). A file's size is
    /// known before reading; a pipe is stopped within a few thousand frames
    /// of passing it.
    public var maxCaptureBytes: Int?

    public init(maxTextBytes: Int = TraceLoader.maxTextBytes, maxCaptureBytes: Int? = nil) {
        self.maxTextBytes = maxTextBytes
        self.maxCaptureBytes = maxCaptureBytes
    }
}
