#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A window onto a capture file: a fixed buffer refilled with read(), so a
/// 2 GB capture streams through about a megabyte of memory instead of being
/// mapped whole (mapped pages count as resident once touched, and stay).
///
/// The readers ask for the bytes of one record or block at a time; when a
/// record straddles the end of the window its start is moved to the front
/// and the rest is read after it. A record larger than the whole buffer
/// grows it, up to the limit the caller checked beforehand.
///
/// A class because it owns a file descriptor and raw memory; in-memory data
/// (tests, chat uploads) uses the same window with nothing left to read.
final class CaptureBuffer {
    static let initialCapacity = 1 << 20

    let path: String
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Cursor and end of the valid bytes, as offsets into `base`.
    private var position = 0
    private var limit = 0
    /// File offset of `base[0]`.
    private var origin = 0
    private let fd: Int32
    private var atEOF = false
    /// File size when known (a regular file or memory), for progress figures.
    let size: Int?
    /// Where the bytes come from when they are neither a file nor in
    /// memory: a stream inflated as it is read (a .gz export).
    private let pull: CaptureReader.Pull?

    init(path: String) throws(CaptureError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)).lowercased() + "; check the path and that you may read the file")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno)).lowercased()
            close(fd)
            throw .unreadable(path: path, reason: reason)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .unreadable(path: path, reason: "it is a folder; pass the capture file itself")
        }
        let isFile = (st.st_mode & S_IFMT) == S_IFREG
        #if canImport(Glibc)
        if isFile { _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) }
        #endif
        self.path = path
        self.fd = fd
        self.size = isFile ? Int(st.st_size) : nil
        pull = nil
        capacity = Self.initialCapacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    /// Holds a copy of `bytes`: the window is the whole data and never refills.
    init(bytes: [UInt8], name: String) {
        path = name
        fd = -1
        size = bytes.count
        pull = nil
        capacity = max(bytes.count, 1)
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { base.copyMemory(from: s, byteCount: src.count) }
        }
        limit = bytes.count
        atEOF = true
    }

    /// Reads through `pull` until it gives 0 bytes; a stream cannot be rewound.
    init(name: String, pull: @escaping CaptureReader.Pull) {
        path = name
        fd = -1
        size = nil
        self.pull = pull
        capacity = Self.initialCapacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        base.deallocate()
        if fd >= 0 { close(fd) }
    }

    /// Byte offset in the file of the cursor: what has been consumed.
    var offset: Int { origin + position }
    var available: Int { limit - position }
    /// The bytes at the cursor; valid until the next `request`.
    var cursor: UnsafeRawPointer { UnsafeRawPointer(base + position) }

    /// Makes `count` bytes available at the cursor, reading more of the file
    /// if needed; false when the file ends first (what it has is still
    /// available). Throws only when the system read fails.
    @inline(__always)
    func request(_ count: Int) throws(CaptureError) -> Bool {
        if limit - position >= count { return true }
        return try refill(count)
    }

    func advance(_ count: Int) {
        position += count
    }

    private func refill(_ count: Int) throws(CaptureError) -> Bool {
        if atEOF { return false }
        if position > 0 {
            let kept = limit - position
            if kept > 0 { base.copyMemory(from: base + position, byteCount: kept) }
            origin += position
            limit = kept
            position = 0
        }
        if count > capacity {
            // Only a block the caller accepted as within its limits gets here.
            var grown = capacity
            while grown < count { grown *= 2 }
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            bigger.copyMemory(from: base, byteCount: limit)
            base.deallocate()
            base = bigger
            capacity = grown
        }
        // Ask for the whole free space, not just `count`: fewer system calls
        // (a regular file fills it in one read; a pipe gives what it has).
        while limit < count {
            if let pull {
                let n = try pull(UnsafeMutableRawBufferPointer(start: base + limit, count: capacity - limit))
                if n > 0 { limit += n } else { atEOF = true; break }
                continue
            }
            let n = read(fd, base + limit, capacity - limit)
            if n > 0 {
                limit += n
            } else if n == 0 {
                atEOF = true
                break
            } else if errno != EINTR {
                throw .unreadable(path: path, reason: "reading at byte \(origin + limit) failed: " + String(cString: strerror(errno)).lowercased())
            }
        }
        return limit - position >= count
    }

    /// Back to byte 0, for a second pass.
    func rewind() throws(CaptureError) {
        if pull != nil { throw .cannotRewind(path: path) }
        if fd < 0 {
            position = 0
            return
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw .cannotRewind(path: path) }
        position = 0
        limit = 0
        origin = 0
        atEOF = false
    }
}
