/// Writes a classic pcap file: what `extract` produces, what the tests and
/// the fixture generator build their inputs with.
public struct PcapWriter {
    public let sink: CaptureSink
    public let linkType: LinkType
    public let snapLength: Int
    public let nanosecond: Bool
    public let byteOrder: CaptureByteOrder

    /// Writes the file header at once. `snapLength` cuts longer frames, as
    /// a capture would; little-endian is what every current tool writes.
    public init(sink: CaptureSink = .memory(), linkType: LinkType, snapLength: Int = 262_144,
                nanosecond: Bool = false, byteOrder: CaptureByteOrder = .littleEndian) throws(CaptureError) {
        self.sink = sink
        self.linkType = linkType
        self.snapLength = max(1, min(snapLength, Int(UInt32.max)))
        self.nanosecond = nanosecond
        self.byteOrder = byteOrder
        try sink.append(UInt32(nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4), byteOrder)
        try sink.append(UInt16(2), byteOrder)
        try sink.append(UInt16(4), byteOrder)
        try sink.append(UInt32(0), byteOrder) // thiszone
        try sink.append(UInt32(0), byteOrder) // sigfigs
        try sink.append(UInt32(self.snapLength), byteOrder)
        try sink.append(linkType.rawValue, byteOrder)
    }

    /// A pcap file at `path`, written through a fixed buffer.
    public static func create(path: String, linkType: LinkType, snapLength: Int = 262_144,
                              nanosecond: Bool = false) throws(CaptureError) -> PcapWriter {
        try PcapWriter(sink: .file(path: path), linkType: linkType, snapLength: snapLength, nanosecond: nanosecond)
    }

    /// Everything written, for a memory sink.
    public var bytes: [UInt8] { sink.bytes }

    /// One record. `originalLength` defaults to the data's length; time
    /// before 1970 or after 2106 is clamped (pcap stores unsigned seconds).
    public func append(timestampNanos: Int64, data: UnsafeRawBufferPointer, originalLength: Int? = nil) throws(CaptureError) {
        let clamped = min(max(timestampNanos, 0), Int64(UInt32.max) * 1_000_000_000 + 999_999_999)
        let seconds = clamped / 1_000_000_000, fraction = clamped % 1_000_000_000
        let captured = min(data.count, snapLength)
        let original = max(originalLength ?? data.count, captured)
        try sink.append(UInt32(seconds), byteOrder)
        try sink.append(UInt32(nanosecond ? fraction : fraction / 1_000), byteOrder)
        try sink.append(UInt32(captured), byteOrder)
        try sink.append(UInt32(min(original, Int(UInt32.max))), byteOrder)
        try sink.append(UnsafeRawBufferPointer(rebasing: data[0..<captured]))
    }

    public func append(timestampNanos: Int64, data: [UInt8], originalLength: Int? = nil) throws(CaptureError) {
        try withRawBytes(data) { raw throws(CaptureError) in
            try append(timestampNanos: timestampNanos, data: raw, originalLength: originalLength)
        }
    }

    /// Flushes a file sink.
    public func finish() throws(CaptureError) {
        try sink.finish()
    }
}
