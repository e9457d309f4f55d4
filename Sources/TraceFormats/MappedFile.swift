#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory: the readers scan it in place, so a
/// large trace costs address space, not a copy.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    private let base: UnsafeMutableRawPointer?

    enum Failure: Error {
        case open(String)
        case notAFile
        case tooLarge(Int)
        case map(String)
    }

    init(path: String, limit: Int) throws(Failure) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .open(String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .open(String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .notAFile }
        let size = Int(st.st_size)
        guard size <= limit else { throw .tooLarge(size) }
        guard size > 0 else {
            base = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw .map(String(cString: strerror(errno)))
        }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        base = p
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit {
        if let base { munmap(base, bytes.count) }
    }
}
