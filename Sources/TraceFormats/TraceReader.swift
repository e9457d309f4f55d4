/// A reader of one text trace format. Readers take bytes, never trust
/// them, and return what they could read plus warnings for what they
/// could not; they throw only when nothing at all could be read.
public protocol TraceReader: Sendable {
    static var format: TraceFormat { get }
    /// How sure the reader is that these bytes are its format, 0...1,
    /// judged from the first few kilobytes.
    static func confidence(_ head: UnsafeBufferPointer<UInt8>) -> Double
    /// With `filter`, only the messages of the calls it names are parsed
    /// and kept (`CallFilter`); the others are counted and listed in
    /// `Trace.skippedCallIDs`.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, keeping filter: CallFilter?) throws(TraceError) -> Trace
}

extension TraceReader {
    /// Every message of the trace.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(TraceError) -> Trace {
        try read(bytes, keeping: nil)
    }
}
