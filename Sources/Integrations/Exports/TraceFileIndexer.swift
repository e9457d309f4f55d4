import Store
import TraceFormats

/// Reads one export file and says where each of its calls lies: sniffs
/// what the (uncompressed) stream holds, scans a capture frame by frame
/// or reads a text trace with its reader, and returns the file's record
/// and spans for one `TraceIndexStore.replace`.
enum TraceFileIndexer {
    struct Result {
        var file: IndexedFile
        var spans: [IndexedCallSpan]
        var calls: Int
        /// Bytes read from the disk.
        var diskBytes: Int64
        /// Bytes of the stream scanned (uncompressed, for a .gz).
        var streamBytes: Int64
        /// What the reader forgave (damage after some frames, lines skipped).
        var warnings: [String]
        /// Set when the file holds no trace: recorded with no spans, so an
        /// unchanged file is not read again, and reported once.
        var refusal: String?
    }

    /// What `IndexedFile.format` says of a file that holds no trace.
    static let notATrace = "not-a-trace"

    /// How much of the stream the sniffing looks at: every capture magic
    /// (ERF needs several records) and the text readers' first lines.
    static let sniffBytes = 4096

    /// What the sniffer `diagnose` uses would read the bytes as raw SIP.
    static func isRawSIP(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            let body = buf.count >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? UnsafeBufferPointer(rebasing: buf[3...]) : buf
            return FormatSniffer.sniff(body)?.reader.format == .rawSIP
        }
    }

    static func index(_ look: ExportFileLook, in directory: ExportDirectory, now: Double) throws(ExportError) -> Result {
        let stream = try TraceByteStream(path: look.path, compressed: look.compressed, inode: look.inode,
                                         maxBytes: directory.maxFileBytes, limitName: directory.limitDescription)
        let headDigest = stream.headDigest()
        var head: [UInt8] = []
        try stream.append(0..<Int64(sniffBytes), to: &head)
        var collector = CallSpanCollector()
        var format: String
        var warnings: [String] = []
        var refusal: String?
        let sniff = head.withUnsafeBytes { CaptureFormat.sniff($0) }
        switch sniff {
        case .capture(let f):
            format = f == .pcapng ? TraceFormat.pcapng.rawValue : TraceFormat.pcap.rawValue
            var scan = CaptureSpanScan()
            var served = 0
            let first = head
            do {
                try scan.scan(name: look.path) { buffer throws(CaptureError) -> Int in
                    if served < first.count {
                        let n = min(buffer.count, first.count - served)
                        first.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + served, byteCount: n) }
                        served += n
                        return n
                    }
                    do {
                        return try stream.read(into: buffer)
                    } catch {
                        throw CaptureError.unreadable(path: look.path, reason: "\(error)")
                    }
                }
            } catch {
                refusal = "\(error)"
            }
            collector = scan.collector
            warnings = scan.warnings
        case .foreign(let foreign):
            format = notATrace
            refusal = "a capture in a format agentctl does not read (\(foreign)); convert it with editcap -F pcapng"
        case .notACapture:
            var bytes = head
            // Read into one allocation: grown by doubling, a 50 MB log was
            // copied and page-faulted several times over.
            if !look.compressed { bytes.reserveCapacity(Int(min(look.size, directory.maxFileBytes)) + 1) }
            do {
                try stream.readAll(into: &bytes)
                if isRawSIP(bytes), RawSIPSpanScan.scan(bytes, into: &collector), collector.messages > 0 {
                    format = TraceFormat.rawSIP.rawValue
                } else {
                    collector = CallSpanCollector()
                    let trace = try TextSpanScan.scan(bytes, name: look.path, into: &collector)
                    format = trace.format.rawValue
                    warnings = trace.warnings
                }
            } catch let error as ExportError {
                guard case .file(_, let reason) = error else { throw error }
                format = notATrace
                refusal = reason
            } catch {
                format = notATrace
                refusal = "\(error)"
            }
        }
        // A file that moved under the reader is not recorded as read.
        guard let after = stream.look(), after.matches(size: look.size, modified: look.modified, inode: look.inode) else {
            throw .changed(path: look.path, reason: "changed while it was indexed (still being written?)")
        }
        if refusal != nil {
            format = notATrace
            collector = CallSpanCollector()
        }
        let file = IndexedFile(path: look.path, size: look.size, modified: look.modified, inode: look.inode,
                               headDigest: headDigest, format: format, compressed: look.compressed, indexedAt: now)
        return Result(file: file, spans: collector.spans(path: look.path), calls: collector.callCount,
                      diskBytes: stream.diskBytes, streamBytes: stream.offset, warnings: warnings, refusal: refusal)
    }
}
