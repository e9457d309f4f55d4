import Foundation
import Store

/// Commits the indexer's files on a thread of its own while the next file
/// is scanned: on two cores the scan and SQLite's work overlap instead of
/// taking turns (docs/performance.md, "Indexing export directories").
///
/// Files are committed in batches, several small files to a transaction
/// (`TraceIndexStore.replace(_ files:)`: a commit's cost grows with the
/// index, not with the file), a large file alone. Each batch is all or
/// nothing, so a run killed mid-way still leaves every file indexed as it
/// was or fully re-indexed; the next run reads the ones not committed.
/// At most two batches wait, so memory holds a few files' spans at most.
final class IndexWriter: @unchecked Sendable {
    /// A batch is committed once it holds this many spans...
    static let spansPerCommit = 50_000
    /// ...or this many files.
    static let filesPerCommit = 64

    private let store: any TraceIndexStore
    private let queue = DispatchQueue(label: "agentctl.index-writer")
    private let waiting = DispatchSemaphore(value: 2)
    private let lock = NSLock()
    private var failure: ExportError?
    private var batch: [(file: IndexedFile, spans: [IndexedCallSpan])] = []
    private var batchSpans = 0

    init(store: any TraceIndexStore) {
        self.store = store
    }

    /// Queues a file's record; throws what went wrong with an earlier batch.
    func add(_ file: IndexedFile, spans: [IndexedCallSpan]) throws(ExportError) {
        try check()
        batch.append((file, spans))
        batchSpans += spans.count
        if batchSpans >= Self.spansPerCommit || batch.count >= Self.filesPerCommit { commitBatch() }
    }

    /// Commits what is queued and returns once everything is; throws the
    /// first failure.
    func finish() throws(ExportError) {
        commitBatch()
        queue.sync {}
        try check()
    }

    /// Waits for what was handed to the writer, ignoring its outcome: the
    /// caller is throwing an error of its own.
    func drain() {
        queue.sync {}
    }

    private func commitBatch() {
        guard !batch.isEmpty else { return }
        let files = batch
        batch = []
        batchSpans = 0
        waiting.wait()
        queue.async { [store] in
            defer { self.waiting.signal() }
            guard self.failed == nil else { return }
            do {
                try store.replace(files)
            } catch {
                let names = files.count == 1 ? files[0].file.path : "\(files[0].file.path) and \(files.count - 1) other files"
                self.failed = .store("recording \(names) failed: \(error)")
            }
        }
    }

    private var failed: ExportError? {
        get { lock.withLock { failure } }
        set { lock.withLock { failure = newValue } }
    }

    private func check() throws(ExportError) {
        if let failed { throw failed }
    }
}
