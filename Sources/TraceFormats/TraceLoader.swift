import SIPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a trace, checks what it is, and reads it with the right reader:
/// captures (told by their magic number) stream through `CaptureLoader`,
/// text is read (never mapped: see `TextFile`) and sniffed.
public enum TraceLoader {
    /// Text traces over this are refused: they are whole-day logs, not a call.
    public static let maxTextBytes = 1 << 30

    /// Reads the trace at `path`; `format` forces a reader instead of sniffing.
    /// `capture` says what to keep: of a capture, and with `callIDs` of a
    /// text trace too (`CallFilter`). A read in a task that is cancelled
    /// stops with `.cancelled`.
    public static func load(path: String, format: TraceFormat? = nil, capture: CaptureLoader.Options = .init(),
                            limits: TraceLimits = TraceLimits()) throws(TraceError) -> Trace {
        if format?.isCapture ?? isCapture(headOf: path) { return try CaptureLoader.load(path: path, options: capture, limits: limits) }
        let maxTextBytes = limits.maxTextBytes
        let filter = capture.textFilter
        do {
            let file = try TextFile(path: path, limit: maxTextBytes)
            var bytes: [UInt8] = []
            try file.read(into: &bytes, count: RawSIPStream.chunkBytes)
            if !file.atEnd, let stream = try streaming(bytes, name: path, format: format) {
                do {
                    return try stream.read(file, first: bytes, keeping: filter)
                } catch TraceError.cancelled {
                    throw TraceError.cancelled(path: path)
                }
            }
            try file.readAll(into: &bytes)
            return try bytes.withUnsafeBufferPointer { buf in
                Result { () throws(TraceError) in try read(buf, name: path, format: format, keeping: filter) }
            }.get()
        } catch let error as TextFile.Failure {
            switch error {
            case .open(let reason): throw .unreadable(path: path, reason: reason.lowercased() + "; check the path and that you may read the file")
            case .notAFile: throw .unreadable(path: path, reason: "not a regular file (a directory or a device); pass the trace file itself")
            case .tooLarge(let n): throw .tooLarge(path: path, bytes: n, limit: maxTextBytes)
            case .read(let reason): throw .unreadable(path: path, reason: reason + "; check the disk, or copy the file and read the copy")
            }
        } catch let error as TraceError {
            throw error
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }

    /// A raw SIP trace larger than one chunk is read chunk by chunk
    /// (`RawSIPStream`), so memory follows what is kept, not the file;
    /// other formats are read whole. Nil reads the file whole.
    private static func streaming(_ head: [UInt8], name: String, format: TraceFormat?) throws(TraceError) -> RawSIPStream? {
        try head.withUnsafeBufferPointer { buf in
            Result { () throws(TraceError) -> RawSIPStream? in
                // An all-blank first chunk is left to the whole-file checks.
                guard !isAllWhitespace(buf) else { return nil }
                let (body, reader) = try prepare(buf, name: name, format: format)
                guard reader.format == .rawSIP else { return nil }
                return RawSIPStream(skip: buf.count - body.count)
            }
        }.get()
    }

    /// The Call-IDs of the trace at `path` with their counts: a capture is
    /// scanned without parsing its messages (`CaptureLoader.tally`), a
    /// text trace is read and counted.
    public static func tally(path: String, format: TraceFormat? = nil, limits: TraceLimits = TraceLimits()) throws(TraceError) -> CallTally {
        if format?.isCapture ?? isCapture(headOf: path) { return try CaptureLoader.tally(path: path, limits: limits) }
        return CallTally(try load(path: path, format: format, limits: limits))
    }

    /// Reads a trace already in memory (a chat message, a test); `name`
    /// stands for the path in errors.
    public static func read(bytes: [UInt8], name: String, format: TraceFormat? = nil, capture: CaptureLoader.Options = .init(),
                            limits: TraceLimits = TraceLimits()) throws(TraceError) -> Trace {
        let isCapture = format?.isCapture ?? bytes.withUnsafeBytes { head in
            CaptureFormat.sniff(UnsafeRawBufferPointer(rebasing: head.prefix(sniffBytes))) != .notACapture
        }
        if isCapture { return try CaptureLoader.read(bytes: bytes, name: name, options: capture, limits: limits) }
        let maxTextBytes = limits.maxTextBytes
        guard bytes.count <= maxTextBytes else { throw .tooLarge(path: name, bytes: bytes.count, limit: maxTextBytes) }
        let filter = capture.textFilter
        return try bytes.withUnsafeBufferPointer { buf in
            Result { () throws(TraceError) in try read(buf, name: name, format: format, keeping: filter) }
        }.get()
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, name: String, format: TraceFormat?, keeping filter: CallFilter? = nil) throws(TraceError) -> Trace {
        let (body, reader) = try prepare(bytes, name: name, format: format)
        do {
            return try reader.read(body, keeping: filter)
        } catch .cancelled {
            // The readers know no file name; the error names it here.
            throw .cancelled(path: name)
        }
    }

    /// The text after any byte order mark and the reader for it, or why
    /// the bytes are no trace (empty, binary, no format recognised).
    static func prepare(_ bytes: UnsafeBufferPointer<UInt8>, name: String, format: TraceFormat?) throws(TraceError) -> (UnsafeBufferPointer<UInt8>, any TraceReader.Type) {
        var bytes = bytes
        // Windows editors put a UTF-8 byte order mark first, which would hide the first start line.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeBufferPointer(rebasing: bytes[3...])
        }
        guard bytes.count > 0 else { throw .empty(path: name) }
        let head = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, FormatSniffer.headBytes)])
        // The head decides for nearly every file; only an all-blank head
        // needs the whole file looked at.
        if isAllWhitespace(head), isAllWhitespace(bytes) { throw .empty(path: name) }
        if let detail = BinaryCheck.binaryDetail(head) { throw .binary(path: name, detail: detail) }
        if let format { return (bytes, FormatSniffer.reader(for: format)) }
        guard let sniffed = FormatSniffer.sniff(bytes) else { throw .unrecognised(path: name) }
        return (bytes, sniffed.reader)
    }

    /// Enough of the head for every capture magic (ERF needs a few records).
    static let sniffBytes = 4_096

    /// True when the file starts like a capture, readable or foreign (a
    /// NetMon file must get the capture error that names it). An
    /// unreadable file is left to the text path, whose error says why.
    public static func isCapture(headOf path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: sniffBytes)
        let n = head.withUnsafeMutableBytes { buf in
            #if canImport(Glibc)
            Glibc.read(fd, buf.baseAddress, sniffBytes)
            #else
            Darwin.read(fd, buf.baseAddress, sniffBytes)
            #endif
        }
        guard n > 0 else { return false }
        return head.withUnsafeBytes { CaptureFormat.sniff(UnsafeRawBufferPointer(rebasing: $0.prefix(n))) != .notACapture }
    }

    private static func isAllWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes where !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) { return false }
        return true
    }
}
