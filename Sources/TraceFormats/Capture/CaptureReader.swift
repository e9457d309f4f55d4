/// Reads the frames of a pcap or pcapng capture one at a time, through a
/// buffer of about a megabyte whatever the file's size.
///
/// Each frame's `data` is borrowed from the buffer and valid until the next
/// call to `next()`. A reader copied and advanced twice shares one buffer:
/// for a second pass call `rewind()` instead.
///
/// Damage is an error when it comes before the first frame (the file is not
/// a readable capture); after frames were read it ends the capture with a
/// warning, so the diagnosis still gets everything before the damage.
public struct CaptureReader {
    public let name: String
    public private(set) var format: CaptureFormat
    /// Problems that did not stop the reading, in the user's words.
    public private(set) var warnings: [String] = []
    /// Frames handed out so far.
    public private(set) var framesRead = 0
    /// File size when known (not for a pipe).
    public var fileSize: Int? { buffer.size }
    /// Bytes consumed so far, for rate figures.
    public var bytesRead: Int { buffer.offset }

    private let buffer: CaptureBuffer
    private var pcap: PcapParser?
    private var pcapng: PcapNGParser?
    private var finished = false

    /// Opens the capture at `path` and reads its header.
    public static func open(path: String) throws(CaptureError) -> CaptureReader {
        try CaptureReader(buffer: CaptureBuffer(path: path))
    }

    /// Reads a capture held in memory; `name` stands for the path in messages.
    public init(bytes: [UInt8], name: String) throws(CaptureError) {
        try self.init(buffer: CaptureBuffer(bytes: bytes, name: name))
    }

    /// Fills the buffer it is given from a stream and returns how many
    /// bytes it wrote; 0 at the end of the stream.
    public typealias Pull = (UnsafeMutableRawBufferPointer) throws(CaptureError) -> Int

    /// Reads a capture from a stream (a .gz file inflated as it is read),
    /// through the same buffer of about a megabyte; `name` stands for the
    /// path in messages. Such a reader cannot `rewind()`.
    public init(name: String, pull: @escaping Pull) throws(CaptureError) {
        try self.init(buffer: CaptureBuffer(name: name, pull: pull))
    }

    private init(buffer: CaptureBuffer) throws(CaptureError) {
        self.buffer = buffer
        name = buffer.path
        format = try Self.detect(buffer)
        try start()
    }

    /// The next frame, or nil at the end (of the file, or of what could be
    /// read: see `warnings`).
    public mutating func next() throws(CaptureError) -> Frame? {
        if finished { return nil }
        let number = framesRead + 1
        let step: CaptureStep
        if pcap != nil {
            step = try pcap!.next(buffer, number: number, warnings: &warnings)
        } else {
            step = try pcapng!.next(buffer, number: number, warnings: &warnings)
        }
        switch step {
        case .frame(let frame):
            framesRead = number
            return frame
        case .end:
            finished = true
            return nil
        case .cut(let what):
            finished = true
            warnings.append("the capture ends inside \(what) (cut short?): read the \(framesRead) frame\(framesRead == 1 ? "" : "s") before it")
            return nil
        case .damaged(let offset, let detail):
            finished = true
            guard framesRead > 0 else { throw .damaged(path: name, frame: number, offset: offset, detail: detail) }
            warnings.append("the capture is damaged at byte \(offset), in frame \(number) (\(detail)): read the \(framesRead) frame\(framesRead == 1 ? "" : "s") before it")
            return nil
        }
    }

    /// Back to the first frame, for a second pass; warnings start afresh.
    public mutating func rewind() throws(CaptureError) {
        try buffer.rewind()
        try start()
    }

    private mutating func start() throws(CaptureError) {
        warnings = []
        framesRead = 0
        finished = false
        pcap = nil
        pcapng = nil
        switch format {
        case .pcap: pcap = try PcapParser(buffer, format: format)
        case .pcapng: pcapng = try PcapNGParser(buffer, warnings: &warnings)
        }
    }

    /// ERF needs its first records to be recognised; 4 KB holds several.
    private static let sniffBytes = 4096

    private static func detect(_ buffer: CaptureBuffer) throws(CaptureError) -> CaptureFormat {
        _ = try buffer.request(sniffBytes)
        let head = UnsafeRawBufferPointer(start: buffer.cursor, count: min(buffer.available, sniffBytes))
        if head.isEmpty { throw .empty(path: buffer.path) }
        switch CaptureFormat.sniff(head) {
        case .capture(let format): return format
        case .foreign(let foreign): throw .foreign(path: buffer.path, foreign)
        case .notACapture:
            let hex = head.withMemoryRebound(to: UInt8.self) { BinaryCheck.hex($0, 8) }
            throw .notACapture(path: buffer.path, firstBytes: hex)
        }
    }
}
