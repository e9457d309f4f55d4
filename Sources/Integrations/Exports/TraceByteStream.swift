import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of an export file as a stream: read(2) for a plain file,
/// zlib's inflate for a .gz (gzip framing, concatenated members too), so
/// a compressed export is never unpacked to disk nor held whole. Offsets
/// are those of the uncompressed stream, which is what the index records.
///
/// The file is opened without following a link and must still be the
/// file the walk looked at (same inode): a file swapped under the indexer
/// is not read.
final class TraceByteStream {
    let path: String
    let compressed: Bool
    /// Uncompressed bytes handed out so far.
    private(set) var offset: Int64 = 0
    /// Bytes read from the disk so far (compressed ones for a .gz).
    private(set) var diskBytes: Int64 = 0
    /// A stream growing past this is refused (a .gz that inflates past
    /// the directory's limit).
    let maxBytes: Int64
    private let limitName: String

    private let fd: Int32
    private var zstream: UnsafeMutablePointer<z_stream>?
    private var input: UnsafeMutableRawPointer
    private static let inputBytes = 1 << 18
    private var atEnd = false

    /// `inode`: the file the caller looked at; a different one is refused.
    init(path: String, compressed: Bool, inode: UInt64?, maxBytes: Int64, limitName: String) throws(ExportError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno)).lowercased()
            throw .file(path: path, reason: "cannot be opened (\(reason)); check that it still exists and that you may read it")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .file(path: path, reason: "is not a regular file; only regular files are read")
        }
        if let inode, UInt64(st.st_ino) != inode {
            close(fd)
            throw .changed(path: path, reason: "was replaced since it was looked at (rotated?)")
        }
        #if canImport(Glibc)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        self.path = path
        self.compressed = compressed
        self.fd = fd
        self.maxBytes = maxBytes
        self.limitName = limitName
        input = UnsafeMutableRawPointer.allocate(byteCount: Self.inputBytes, alignment: 16)
        if compressed {
            let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            z.initialize(to: z_stream())
            // 16 + MAX_WBITS: gzip framing only (a bare zlib or deflate
            // stream in a .gz file is damage, not a format).
            guard inflateInit2_(z, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                z.deallocate()
                input.deallocate()
                close(fd)
                throw .file(path: path, reason: "zlib could not start (out of memory?)")
            }
            zstream = z
        }
    }

    deinit {
        if let z = zstream {
            inflateEnd(z)
            z.deallocate()
        }
        input.deallocate()
        close(fd)
    }

    /// Hex SHA-256 of the first `count` bytes on disk (compressed ones for
    /// a .gz): a rotated file reusing a name and size differs here. Read
    /// with pread, so the stream's position does not move.
    func headDigest(count: Int = 1 << 16) -> String {
        var head = [UInt8](repeating: 0, count: count)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        return TraceDigest.of(head.prefix(max(n, 0)))
    }

    /// What `fstat` says of the open file now: the indexer compares it
    /// with the look the walk took, to tell a file that changed while it
    /// was read.
    func look() -> ExportFileLook? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return ExportFileLook(st, path: path)
    }

    /// Fills `buffer` as far as the stream goes; 0 at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExportError) -> Int {
        guard !atEnd, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let n = zstream == nil ? try readPlain(base, buffer.count) : try inflate(base, buffer.count)
        if n == 0 { atEnd = true }
        offset += Int64(n)
        if offset > maxBytes {
            throw .file(path: path, reason: "its uncompressed stream is over the limit of \(limitName) (read \(ExportDirectory.bytesDescription(offset)) so far); raise the directory's size limit in the configuration to index it")
        }
        return n
    }

    /// Reads and drops bytes up to uncompressed `target` (a .gz has no
    /// index to seek by; a plain file seeks).
    func skip(to target: Int64) throws(ExportError) {
        guard target > offset else { return }
        if zstream == nil {
            guard lseek(fd, off_t(target), SEEK_SET) == off_t(target) else {
                throw .file(path: path, reason: "cannot seek to byte \(target) (\(String(cString: strerror(errno)).lowercased()))")
            }
            offset = target
            return
        }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        while offset < target {
            let want = Int(min(Int64(scratch.count), target - offset))
            if try read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<want])) == 0 { return }
        }
    }

    /// Bytes [range) of the stream, appended to `out`; fewer when the
    /// stream ends first. Ranges must come in increasing order. Read
    /// through a buffer of our own and copied once (zero-filling `out`
    /// ahead of the read costs a second per 4 MB in a debug build).
    func append(_ range: Range<Int64>, to out: inout [UInt8]) throws(ExportError) {
        try skip(to: range.lowerBound)
        var left = range.upperBound - max(offset, range.lowerBound)
        guard left > 0 else { return }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(min(left, 1 << 20)), alignment: 16)
        defer { chunk.deallocate() }
        while left > 0 {
            let want = Int(min(left, Int64(chunk.count)))
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<want]))
            if n == 0 { return }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            left -= Int64(n)
        }
    }

    /// The rest of the stream, appended to `out`.
    func readAll(into out: inout [UInt8]) throws(ExportError) {
        while true {
            let before = out.count
            try append(offset..<(offset + (1 << 22)), to: &out)
            if out.count - before < (1 << 22) { return }
        }
    }

    private func readPlain(_ base: UnsafeMutableRawPointer, _ count: Int) throws(ExportError) -> Int {
        while true {
            let n = systemRead(fd, base, count)
            if n >= 0 {
                diskBytes += Int64(n)
                return n
            }
            if errno != EINTR {
                throw .file(path: path, reason: "reading at byte \(offset) failed (\(String(cString: strerror(errno)).lowercased())); check the disk, or copy the file and index the copy")
            }
        }
    }

    private func inflate(_ base: UnsafeMutableRawPointer, _ count: Int) throws(ExportError) -> Int {
        let z = zstream!
        z.pointee.next_out = base.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = UInt32(min(count, Int(UInt32.max)))
        while z.pointee.avail_out > 0 {
            if z.pointee.avail_in == 0 {
                let n = try readPlain(input, Self.inputBytes)
                if n == 0 { break }
                z.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
                z.pointee.avail_in = UInt32(n)
            }
            let status = CZlib.inflate(z, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                // Another gzip member may follow (`cat a.gz b.gz`); any
                // other bytes after a member are ignored, as gzip does.
                if z.pointee.avail_in == 0 {
                    let n = try readPlain(input, Self.inputBytes)
                    if n == 0 {
                        atEndOfMembers = true
                        break
                    }
                    z.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
                    z.pointee.avail_in = UInt32(n)
                }
                guard z.pointee.avail_in >= 2, z.pointee.next_in[0] == 0x1F, z.pointee.next_in[1] == 0x8B else {
                    z.pointee.avail_in = 0
                    atEndOfMembers = true
                    break
                }
                inflateReset(z)
                continue
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                let detail = z.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .file(path: path, reason: "the .gz stream is damaged after \(offset) uncompressed bytes (zlib: \(detail)); check it with gzip -t, or export it again")
            }
            if status == Z_BUF_ERROR, z.pointee.avail_in > 0 { break }
        }
        let produced = count - Int(z.pointee.avail_out)
        if produced == 0, !atEndOfMembers, z.pointee.total_in > 0, isMidMember(z) {
            throw .file(path: path, reason: "the .gz file ends inside its compressed stream, after \(offset) uncompressed bytes (cut short, or still being written); index it once it is complete")
        }
        return produced
    }

    private var atEndOfMembers = false

    /// True when the data ran out with a member begun and not finished.
    private func isMidMember(_ z: UnsafeMutablePointer<z_stream>) -> Bool {
        // After a member's end inflateReset zeroes total_out; a member cut
        // short has consumed input without reaching Z_STREAM_END.
        z.pointee.total_in > 0 && z.pointee.avail_in == 0
    }
}

private func systemRead(_ fd: Int32, _ to: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, to, count)
    #else
    Darwin.read(fd, to, count)
    #endif
}
