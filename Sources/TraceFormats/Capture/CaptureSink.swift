#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a capture writer's bytes go: memory (tests, small extracts) or a
/// file written through a fixed buffer, so that a gigabyte benchmark
/// capture never sits in memory whole.
///
/// A class because a file sink owns its descriptor; writers hold one and
/// several writers must not share it.
public final class CaptureSink {
    public let path: String
    private let fd: Int32
    private var pending: [UInt8] = []
    /// Bytes handed to the sink so far (written or pending).
    public private(set) var bytesWritten = 0
    private static let flushBytes = 1 << 20

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
        pending.reserveCapacity(fd >= 0 ? Self.flushBytes + 65_536 : 4096)
    }

    /// Collects the bytes in memory; `bytes` has them all.
    public static func memory(name: String = "memory") -> CaptureSink {
        CaptureSink(path: name, fd: -1)
    }

    /// Creates (or truncates) the file at `path`.
    public static func file(path: String) throws(CaptureError) -> CaptureSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        return CaptureSink(path: path, fd: fd)
    }

    deinit {
        if fd >= 0 {
            _ = try? flush()
            close(fd)
        }
    }

    /// Everything written, for a memory sink; for a file, what is not yet flushed.
    public var bytes: [UInt8] { pending }

    public var isFile: Bool { fd >= 0 }

    /// Writes what is pending to the file (a memory sink keeps it).
    public func flush() throws(CaptureError) {
        guard fd >= 0, !pending.isEmpty else { return }
        var done = 0
        let failure: String? = pending.withUnsafeBytes { raw in
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n > 0 {
                    done += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return n < 0 ? String(cString: strerror(errno)).lowercased() : "the system wrote nothing"
                }
            }
            return nil
        }
        pending.removeAll(keepingCapacity: true)
        if let failure { throw .writeFailed(path: path, reason: failure) }
    }

    func append(_ data: UnsafeRawBufferPointer) throws(CaptureError) {
        pending.append(contentsOf: data)
        bytesWritten += data.count
        if fd >= 0, pending.count >= Self.flushBytes { try flush() }
    }

    func append(_ data: [UInt8]) throws(CaptureError) {
        try withRawBytes(data) { raw throws(CaptureError) in try append(raw) }
    }

    func appendZeros(_ count: Int) throws(CaptureError) {
        for _ in 0..<count { pending.append(0) }
        bytesWritten += count
    }

    func append(_ v: UInt16, _ order: CaptureByteOrder) throws(CaptureError) {
        let x = order == .littleEndian ? v.littleEndian : v.bigEndian
        Swift.withUnsafeBytes(of: x) { pending.append(contentsOf: $0) }
        bytesWritten += MemoryLayout.size(ofValue: x)
    }

    func append(_ v: UInt32, _ order: CaptureByteOrder) throws(CaptureError) {
        let x = order == .littleEndian ? v.littleEndian : v.bigEndian
        Swift.withUnsafeBytes(of: x) { pending.append(contentsOf: $0) }
        bytesWritten += MemoryLayout.size(ofValue: x)
    }

    func append(_ v: UInt64, _ order: CaptureByteOrder) throws(CaptureError) {
        let x = order == .littleEndian ? v.littleEndian : v.bigEndian
        Swift.withUnsafeBytes(of: x) { pending.append(contentsOf: $0) }
        bytesWritten += MemoryLayout.size(ofValue: x)
    }

    /// Flushes a file sink so the file is complete on disk; its descriptor
    /// closes when the sink goes away.
    public func finish() throws(CaptureError) {
        try flush()
    }
}

/// `Array.withUnsafeBytes` rethrows untyped errors; this keeps them typed.
func withRawBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(CaptureError) -> R) throws(CaptureError) -> R {
    try bytes.withUnsafeBytes { raw in Result { () throws(CaptureError) in try body(raw) } }.get()
}
