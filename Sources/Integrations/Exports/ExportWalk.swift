#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the files of an export directory that may be indexed, and says
/// of every other file why not. Only regular files are read; a symlink is
/// followed only while it stays inside the directory (a link to
/// /etc/shadow in an upload folder must not become a trace); a file over
/// the directory's limit is refused before a byte of it is read.
/// Hidden files (`.name`) are skipped: exporters write there and rename.
public enum ExportWalk {
    public struct Listing: Sendable, Equatable {
        /// The directory with its own symlinks resolved.
        public var root: String
        public var files: [ExportFileLook]
        public var refused: [ExportRefusal]
    }

    public static func list(_ directory: ExportDirectory) throws(ExportError) -> Listing {
        guard let root = resolved(directory.path) else {
            throw .directoryUnreadable(path: directory.path, reason: String(cString: strerror(errno)).lowercased())
        }
        var st = stat()
        guard stat(root, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .directoryUnreadable(path: directory.path, reason: "not a directory")
        }
        var listing = Listing(root: root, files: [], refused: [])
        var seenFiles = Set<String>()
        var seenDirs: Set<[UInt64]> = [[UInt64(st.st_dev), UInt64(st.st_ino)]]
        // (resolved directory, path relative to the root as listed)
        var pending: [(String, String)] = [(root, "")]
        while let (dir, relative) = pending.popLast() {
            guard let handle = opendir(dir) else {
                listing.refused.append(ExportRefusal(path: dir, reason: "cannot be listed (\(String(cString: strerror(errno)).lowercased())); check its permissions"))
                continue
            }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                if name.hasPrefix(".") { continue }
                names.append(name)
            }
            closedir(handle)
            for name in names.sorted() {
                let full = dir + "/" + name
                let rel = relative.isEmpty ? name : relative + "/" + name
                var lst = stat()
                guard lstat(full, &lst) == 0 else { continue }
                var target = full
                var info = lst
                if (lst.st_mode & S_IFMT) == S_IFLNK {
                    guard let to = resolved(full), stat(to, &info) == 0 else {
                        listing.refused.append(ExportRefusal(path: full, reason: "a symlink that leads nowhere (broken link); remove it or fix its target"))
                        continue
                    }
                    guard isInside(to, root) else {
                        listing.refused.append(ExportRefusal(path: full, reason: "a symlink to \(to), outside \(root): refused, a link may not lead the indexer out of the export directory; copy the file in, or configure its own directory"))
                        continue
                    }
                    target = to
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    if seenDirs.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted { pending.append((target, rel)) }
                case S_IFREG:
                    guard included(rel, name: name, by: directory.include) else { continue }
                    guard seenFiles.insert(target).inserted else { continue }
                    if Int64(info.st_size) > directory.maxFileBytes {
                        listing.refused.append(ExportRefusal(path: target, reason: "\(ExportDirectory.bytesDescription(Int64(info.st_size))), over the limit of \(directory.limitDescription) for \(directory.path); raise the directory's size limit in the configuration to index it"))
                        continue
                    }
                    listing.files.append(ExportFileLook(info, path: target))
                default:
                    listing.refused.append(ExportRefusal(path: full, reason: "not a regular file (a FIFO, socket or device): only regular files are read"))
                }
            }
        }
        listing.files.sort { $0.path < $1.path }
        return listing
    }

    /// `realpath`, nil when the path does not resolve.
    static func resolved(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// `path` is `root` or lies under it (`/exports2` is not under `/exports`).
    static func isInside(_ path: String, _ root: String) -> Bool {
        if root == "/" { return path.hasPrefix("/") }
        return path == root || path.hasPrefix(root + "/")
    }

    static func included(_ relative: String, name: String, by globs: [String]) -> Bool {
        globs.contains { fnmatch($0, relative, 0) == 0 || fnmatch($0, name, 0) == 0 }
    }
}
