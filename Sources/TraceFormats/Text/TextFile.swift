#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text trace read with read(2) into buffers of our own, never mapped:
/// a file cut short while it is read (an export still being written, a
/// log rotated under us) gives a shorter read, where a mapping would take
/// SIGBUS on the first page past the new end and kill the process.
final class TextFile {
    enum Failure: Error {
        case open(String)
        case notAFile
        case tooLarge(Int)
        case read(String)
    }

    let path: String
    /// The size when opened; the file may shrink or grow after.
    let size: Int
    private let fd: Int32
    private let limit: Int
    private(set) var atEnd = false
    /// Bytes read so far.
    private(set) var offset = 0

    init(path: String, limit: Int) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .open(String(cString: strerror(errno))) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .open(reason)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notAFile
        }
        let size = Int(st.st_size)
        guard size <= limit else {
            close(fd)
            throw .tooLarge(size)
        }
        #if canImport(Glibc)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        self.path = path
        self.fd = fd
        self.size = size
        self.limit = limit
    }

    deinit { close(fd) }

    /// Appends up to `count` more bytes of the file to `buffer`; fewer
    /// only at the end of the file (then `atEnd`). A file that grew past
    /// the limit while being read is refused like one that was too large.
    func read(into buffer: inout [UInt8], count: Int) throws(Failure) {
        guard !atEnd, count > 0 else { return }
        var failure: Int32 = 0
        // Read into fresh room, neither zero-filled (a memset of every
        // chunk) nor appended to element by element (a second per 4 MB
        // chunk in a debug build).
        let chunk = [UInt8](unsafeUninitializedCapacity: count) { room, initialized in
            (initialized, failure) = fill(UnsafeMutableRawPointer(room.baseAddress!), count: count)
        }
        if buffer.isEmpty { buffer = chunk } else { buffer.append(contentsOf: chunk) }
        try check(failure)
    }

    /// Reads up to `count` bytes of the file to `room`, which has room for
    /// them; fewer only at the end of the file (then `atEnd`). Returns the
    /// bytes read. A reader that keeps its buffer reads into it with this
    /// (no fresh pages, no copy into a second buffer); otherwise as above.
    /// (Not `into:`: `&array` converts to a pointer, and would pick this.)
    func read(to room: UnsafeMutableRawPointer, count: Int) throws(Failure) -> Int {
        let (got, failure) = fill(room, count: count)
        try check(failure)
        return got
    }

    /// The read itself: the bytes read and the errno that stopped it (0
    /// for none).
    private func fill(_ room: UnsafeMutableRawPointer, count: Int) -> (Int, Int32) {
        guard !atEnd, count > 0 else { return (0, 0) }
        // No more than the file held when opened and a byte past it, so the
        // end of a file that did not grow is seen by this read and a small
        // trace costs its size, not a chunk; 64 KB at least, for a file that
        // grew past its opening size.
        let count = min(count, max(size - offset + 1, 1 << 16))
        var got = 0
        var failure: Int32 = 0
        while got < count {
            let n = systemRead(fd, room + got, count - got)
            if n > 0 {
                got += n
            } else if n == 0 {
                atEnd = true
                break
            } else if errno != EINTR {
                failure = errno
                break
            }
        }
        offset += got
        return (got, failure)
    }

    private func check(_ failure: Int32) throws(Failure) {
        if failure != 0 { throw .read("reading at byte \(offset) failed: " + String(cString: strerror(failure)).lowercased()) }
        if offset > limit { throw .tooLarge(offset) }
    }

    /// The rest of the file, appended to `buffer`.
    func readAll(into buffer: inout [UInt8]) throws(Failure) {
        while !atEnd { try read(into: &buffer, count: max(1 << 20, size - offset + 1)) }
    }
}

private func systemRead(_ fd: Int32, _ to: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, to, count)
    #else
    Darwin.read(fd, to, count)
    #endif
}
