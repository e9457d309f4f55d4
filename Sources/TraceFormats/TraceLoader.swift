import SIPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a trace, checks what it is, and reads it with the right reader:
/// captures (told by their magic number) stream through `CaptureLoader`,
/// text is memory-mapped and sniffed.
public enum TraceLoader {
    /// Text traces over this are refused: they are whole-day logs, not a call.
    public static let maxTextBytes = 1 << 30

    /// Reads the trace at `path`; `format` forces a reader instead of sniffing.
    /// `capture` applies when the file is a capture (what to keep of it).
    public static func load(path: String, format: TraceFormat? = nil, capture: CaptureLoader.Options = .init()) throws(TraceError) -> Trace {
        if format?.isCapture ?? isCapture(headOf: path) { return try CaptureLoader.load(path: path, options: capture) }
        let file: MappedFile
        do {
            file = try MappedFile(path: path, limit: maxTextBytes)
        } catch {
            switch error {
            case .open(let reason): throw .unreadable(path: path, reason: reason.lowercased() + "; check the path and that you may read the file")
            case .notAFile: throw .unreadable(path: path, reason: "not a regular file (a directory or a device); pass the trace file itself")
            case .tooLarge(let n): throw .tooLarge(path: path, bytes: n, limit: maxTextBytes)
            case .map(let reason): throw .unreadable(path: path, reason: "could not map it into memory: \(reason.lowercased())")
            }
        }
        return try withExtendedLifetime(file) { () throws(TraceError) -> Trace in
            try read(file.bytes, name: path, format: format)
        }
    }

    /// The Call-IDs of the trace at `path` with their counts: a capture is
    /// scanned without parsing its messages (`CaptureLoader.tally`), a
    /// text trace is read and counted.
    public static func tally(path: String, format: TraceFormat? = nil) throws(TraceError) -> CallTally {
        if format?.isCapture ?? isCapture(headOf: path) { return try CaptureLoader.tally(path: path) }
        return CallTally(try load(path: path, format: format))
    }

    /// Reads a trace already in memory (a chat message, a test); `name`
    /// stands for the path in errors.
    public static func read(bytes: [UInt8], name: String, format: TraceFormat? = nil) throws(TraceError) -> Trace {
        let capture = format?.isCapture ?? bytes.withUnsafeBytes { head in
            CaptureFormat.sniff(UnsafeRawBufferPointer(rebasing: head.prefix(sniffBytes))) != .notACapture
        }
        if capture { return try CaptureLoader.read(bytes: bytes, name: name) }
        guard bytes.count <= maxTextBytes else { throw .tooLarge(path: name, bytes: bytes.count, limit: maxTextBytes) }
        return try bytes.withUnsafeBufferPointer { buf in
            Result { () throws(TraceError) in try read(buf, name: name, format: format) }
        }.get()
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, name: String, format: TraceFormat?) throws(TraceError) -> Trace {
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
        let reader: any TraceReader.Type
        if let format {
            reader = FormatSniffer.reader(for: format)
        } else {
            guard let sniffed = FormatSniffer.sniff(bytes) else { throw .unrecognised(path: name) }
            reader = sniffed.reader
        }
        return try reader.read(bytes)
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
