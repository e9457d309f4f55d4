import SIPCore
import Store

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Brings the trace index up to date with export directories: a file
/// whose size, modification time and inode are what the index recorded
/// costs a `stat` and nothing else; a new, grown, rotated or replaced
/// file is read again whole and its record replaced in one transaction;
/// a file gone (or now refused) is dropped. A file whose size or
/// modification time changes between two looks, `settleSeconds` apart,
/// is still being written and is left for the next run.
///
/// Resumable by construction: each file is replaced in one transaction
/// (several small files share one, `IndexWriter`), so a run killed mid-way
/// leaves every file indexed as it was or not at all, and the next run
/// reads only the files not yet done.
public struct ExportIndexer {
    public var store: any TraceIndexStore
    /// Waits between the two looks; tests change the files in it.
    public var sleep: (Double) -> Void
    /// Seconds since the epoch, for `IndexedFile.indexedAt`.
    public var now: () -> Double
    /// Called before each file is read and once at the end.
    public var progress: ((Progress) -> Void)?

    public struct Progress: Sendable {
        public var filesDone: Int
        public var filesToRead: Int
        public var bytesRead: Int64
        public var current: String?
    }

    public init(store: any TraceIndexStore, sleep: @escaping (Double) -> Void = ExportIndexer.systemSleep,
                now: @escaping () -> Double = ExportIndexer.systemNow, progress: ((Progress) -> Void)? = nil) {
        self.store = store
        self.sleep = sleep
        self.now = now
        self.progress = progress
    }

    public static func systemSleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        var t = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var left = timespec()
        while nanosleep(&t, &left) != 0, errno == EINTR { t = left }
    }

    public static func systemNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    public func index(_ directories: [ExportDirectory]) throws(ExportError) -> IndexSummary {
        let started = ContinuousClock.now
        var summary = IndexSummary()
        for directory in directories { try index(directory, into: &summary) }
        let elapsed = started.duration(to: .now)
        summary.seconds = elapsed.inSeconds
        progress?(Progress(filesDone: summary.indexed, filesToRead: summary.indexed, bytesRead: summary.bytesRead, current: nil))
        return summary
    }

    private func index(_ directory: ExportDirectory, into summary: inout IndexSummary) throws(ExportError) {
        let listing = try ExportWalk.list(directory)
        summary.refused += listing.refused
        let known: [String: IndexedFile]
        do {
            let files = try store.indexedFiles(under: listing.root).filter { ExportWalk.isInside($0.path, listing.root) }
            known = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        } catch {
            throw .store("listing what is indexed under \(listing.root) failed: \(error)")
        }
        var changed: [ExportFileLook] = []
        for look in listing.files {
            if let k = known[look.path], look.matches(size: k.size, modified: k.modified, inode: k.inode) {
                summary.unchanged += 1
            } else {
                changed.append(look)
            }
        }
        let present = Set(listing.files.map(\.path))
        for path in known.keys.sorted() where !present.contains(path) {
            do { try store.removeFile(path: path) } catch { throw .store("removing \(path) failed: \(error)") }
            summary.removed += 1
        }
        guard !changed.isEmpty else { return }
        // One wait for the whole directory, and only when something changed.
        if directory.settleSeconds > 0 { sleep(directory.settleSeconds) }
        var settled: [ExportFileLook] = []
        for look in changed {
            guard let again = ExportFileLook.now(look.path) else { continue }
            if again.matches(size: look.size, modified: look.modified, inode: look.inode) {
                settled.append(look)
            } else {
                summary.unsettled.append(ExportRefusal(path: look.path, reason: "its size or modification time changed within \(String(format1: directory.settleSeconds)) s (still being written?); indexed once it settles"))
            }
        }
        // Each file's spans are committed in the background while the next
        // file is read; the run returns once all are committed.
        let writer = IndexWriter(store: store)
        do {
            try index(settled, in: directory, through: writer, into: &summary)
            try writer.finish()
        } catch {
            writer.drain()
            throw error
        }
    }

    private func index(_ settled: [ExportFileLook], in directory: ExportDirectory, through writer: IndexWriter,
                       into summary: inout IndexSummary) throws(ExportError) {
        for (n, look) in settled.enumerated() {
            progress?(Progress(filesDone: summary.indexed, filesToRead: summary.indexed + settled.count - n, bytesRead: summary.bytesRead, current: look.path))
            let result: TraceFileIndexer.Result
            do {
                result = try TraceFileIndexer.index(look, in: directory, now: now())
            } catch {
                switch error {
                case .changed(let p, let r): summary.unsettled.append(ExportRefusal(path: p, reason: r + "; indexed once it settles"))
                case .file(let p, let r): summary.refused.append(ExportRefusal(path: p, reason: r))
                default: throw error
                }
                continue
            }
            try writer.add(result.file, spans: result.spans)
            summary.indexed += 1
            summary.bytesRead += result.diskBytes
            summary.streamBytes += result.streamBytes
            summary.calls += result.calls
            summary.spans += result.spans.count
            summary.warnings += result.warnings.prefix(5).map { "\(look.path): \($0)" }
            if let refusal = result.refusal { summary.refused.append(ExportRefusal(path: look.path, reason: refusal)) }
        }
    }
}

/// What one `agentctl index` run did, for its summary line.
public struct IndexSummary: Sendable, Equatable {
    /// Files read and recorded (a file that holds no trace included: it is
    /// recorded so it is not read again, and listed in `refused`).
    public var indexed = 0
    public var unchanged = 0
    public var removed = 0
    public var refused: [ExportRefusal] = []
    /// Files still being written, left for the next run.
    public var unsettled: [ExportRefusal] = []
    public var calls = 0
    public var spans = 0
    /// Bytes read from the disk (compressed ones for .gz files).
    public var bytesRead: Int64 = 0
    /// Bytes the scanners went through (uncompressed ones for .gz files).
    public var streamBytes: Int64 = 0
    public var seconds = 0.0
    public var warnings: [String] = []

    public init() {}

    /// Of the bytes scanned, which for a .gz are the uncompressed ones.
    public var megabytesPerSecond: Double { seconds > 0 ? Double(streamBytes) / 1e6 / seconds : 0 }

    /// `indexed 12 files, 40 unchanged, 1 refused, 0 removed, 2 still being written: 8123 calls, 512.3 MB in 1.1 s (465.7 MB/s)`
    public var line: String {
        let mb = Double(streamBytes) / 1e6
        return "indexed \(indexed) file\(indexed == 1 ? "" : "s"), \(unchanged) unchanged, \(refused.count) refused, \(removed) removed, \(unsettled.count) still being written: \(calls) call\(calls == 1 ? "" : "s"), \(Self.fixed(mb)) MB in \(Self.fixed(seconds)) s (\(Self.fixed(megabytesPerSecond)) MB/s)"
    }

    public static func fixed(_ x: Double) -> String {
        let tenths = (x * 10).rounded()
        guard tenths.isFinite, abs(tenths) < 1e15 else { return "0.0" }
        let t = Int(tenths)
        return "\(t / 10).\(abs(t % 10))"
    }
}
