#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One look at a file in an export directory: what `stat` says, which is
/// all an unchanged file costs a run (no byte of it is read).
public struct ExportFileLook: Sendable, Equatable {
    /// Absolute, symlinks resolved: the name the index knows it by.
    public var path: String
    public var size: Int64
    /// Seconds since the epoch, with the nanoseconds the file system keeps.
    public var modified: Double
    public var inode: UInt64
    /// Named `.gz`: read through zlib as a stream.
    public var compressed: Bool

    public init(path: String, size: Int64, modified: Double, inode: UInt64, compressed: Bool) {
        self.path = path
        self.size = size
        self.modified = modified
        self.inode = inode
        self.compressed = compressed
    }

    /// What `stat` says of `path` now, following no link; nil when it is
    /// gone or not a regular file.
    static func now(_ path: String) -> ExportFileLook? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return ExportFileLook(st, path: path)
    }

    init(_ st: stat, path: String) {
        self.path = path
        size = Int64(st.st_size)
        #if canImport(Glibc)
        modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        #else
        modified = Double(st.st_mtimespec.tv_sec) + Double(st.st_mtimespec.tv_nsec) / 1e9
        #endif
        inode = UInt64(st.st_ino)
        compressed = path.hasSuffix(".gz")
    }

    /// The same file, unchanged, as the index recorded it.
    func matches(size: Int64, modified: Double, inode: UInt64) -> Bool {
        self.size == size && self.inode == inode && abs(self.modified - modified) < 1e-6
    }
}

/// A file the walk or the indexer would not read, and why, in a sentence
/// that says what to do.
public struct ExportRefusal: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
