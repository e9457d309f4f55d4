import Store
import TraceFormats

/// Reads what the index says one file holds of some calls: only the
/// merged byte ranges of their spans (a capture's header in front), read
/// by the file's own reader, keeping the messages of the Call-IDs wanted.
struct SpanReader {
    var file: IndexedFile
    var directory: ExportDirectory
    var wanted: Set<String>

    struct Part {
        var trace: Trace
        /// The bytes the reader read, in order, for the digest.
        var bytes: [UInt8]
        var ranges: [Range<Int64>]
    }

    /// Sorted, with overlapping or touching ranges joined.
    static func merged(_ ranges: [Range<Int64>]) -> [Range<Int64>] {
        var out: [Range<Int64>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    func read(_ ranges: [Range<Int64>]) throws(ExportError) -> Part? {
        var ranges = Self.merged(ranges)
        guard !ranges.isEmpty, let format = TraceFormat(rawValue: file.format) else { return nil }
        var bytes: [UInt8] = []
        if format.isCapture {
            let head = try stream()
            var first: [UInt8] = []
            try head.append(0..<(1 << 16), to: &first)
            let headerEnd = Int64(CaptureHead.length(first) ?? Int(ranges[0].lowerBound))
            if ranges[0].lowerBound <= headerEnd {
                ranges[0] = 0..<max(ranges[0].upperBound, headerEnd)
            } else {
                ranges.insert(0..<headerEnd, at: 0)
            }
        }
        let stream = try stream()
        for r in ranges { try stream.append(r, to: &bytes) }
        let options = CaptureLoader.Options(measureMedia: true, callIDs: wanted)
        var trace: Trace
        do {
            trace = try TraceLoader.read(bytes: bytes, name: file.path, format: format.isCapture ? nil : format, capture: options)
        } catch {
            throw .file(path: file.path, reason: "the indexed ranges could not be read (\(error)); the file may have changed: run agentctl index again")
        }
        trace.messages.removeAll { m in !(m.message.callID.map(wanted.contains) ?? false) }
        trace.skippedCallIDs = []
        if !format.isCapture {
            // A range begins at a message's start line and ends at the
            // next one's: the heading left without its message at the end,
            // and the lines before it, are the cut, not the file's damage.
            trace.warnings.removeAll { $0.contains("a message heading with no SIP message under it") || $0.contains("outside any SIP message") }
        }
        return Part(trace: trace, bytes: bytes, ranges: ranges)
    }

    /// The file, if it is still the one indexed: same inode, and either
    /// unchanged or grown with the same head (an inode the file system
    /// reused for a new file has another head).
    private func stream() throws(ExportError) -> TraceByteStream {
        let replaced = ExportError.file(path: file.path, reason: "was replaced since it was indexed (rotated?)")
        let stream: TraceByteStream
        do {
            stream = try TraceByteStream(path: file.path, compressed: file.compressed, inode: file.inode,
                                         maxBytes: directory.maxFileBytes, limitName: directory.limitDescription)
        } catch {
            guard case .changed = error else { throw error }
            throw replaced
        }
        guard let now = stream.look() else { throw replaced }
        if now.size < file.size { throw ExportError.file(path: file.path, reason: "is shorter than when it was indexed (cut, or replaced)") }
        if !now.matches(size: file.size, modified: file.modified, inode: file.inode), stream.headDigest() != file.headDigest { throw replaced }
        return stream
    }
}
