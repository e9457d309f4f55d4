import Foundation
import Integrations
import Store
import Testing
import TestSupport

/// The indexer hands each file's spans to a background writer that
/// commits several small files to a transaction: every file still ends
/// up recorded, batches stay bounded (a killed run loses at most one
/// batch's work), and a failure of the store stops the run with its words.
@Suite struct IndexWriterTests {
    /// An in-memory index that keeps what each `replace(_ files:)` call held.
    final class BatchRecorder: TraceIndexStore, @unchecked Sendable {
        let inner = InMemoryTraceIndex()
        private let lock = NSLock()
        private var sizes: [Int] = []
        var failWith: String?

        var batches: [Int] { lock.withLock { sizes } }

        func indexedFile(path: String) throws -> IndexedFile? { try inner.indexedFile(path: path) }
        func indexedFiles(under directory: String) throws -> [IndexedFile] { try inner.indexedFiles(under: directory) }
        func replace(_ file: IndexedFile, spans: [IndexedCallSpan]) throws { try replace([(file, spans)]) }
        func replace(_ files: [(file: IndexedFile, spans: [IndexedCallSpan])]) throws {
            if let failWith { throw StoreFailure(message: failWith) }
            lock.withLock { sizes.append(files.count) }
            for entry in files { try inner.replace(entry.file, spans: entry.spans) }
        }
        func removeFile(path: String) throws { try inner.removeFile(path: path) }
        func spans(forKey key: String) throws -> [IndexedCallSpan] { try inner.spans(forKey: key) }
    }

    struct StoreFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private func calls(_ n: Int) -> [FixtureCall] {
        (0..<n).map { FixtureCall(callID: "w\($0)-84b4c76e66710@pc33.example.com", start: ExportFixtures.night + Double($0)) }
    }

    @Test func manySmallFilesAreCommittedInBoundedBatchesAndAllRecorded() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let all = calls(70)
        for (i, call) in all.enumerated() {
            try ExportFixtures.write(ExportFixtures.portal([call]), to: dir.path + "/f\(i).log")
        }
        let store = BatchRecorder()
        let run = try ExportIndexer(store: store, sleep: { _ in }, now: { 0 }).index([dir])
        #expect(run.indexed == 70)
        #expect(store.batches.reduce(0, +) == 70)
        // Several files share a transaction, and not all of them one.
        #expect(store.batches.count > 1 && store.batches.count < 70)
        #expect(store.batches.allSatisfy { $0 <= 64 })
        for call in all {
            #expect(try store.spans(forKey: call.callID).count == 1)
        }
    }

    @Test func aStoreThatFailsStopsTheRunNamingTheFileAndTheReason() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        try ExportFixtures.write(ExportFixtures.portal(calls(1)), to: dir.path + "/only.log")
        let store = BatchRecorder()
        store.failWith = "disk I/O error"
        #expect {
            _ = try ExportIndexer(store: store, sleep: { _ in }, now: { 0 }).index([dir])
        } throws: { error in
            guard case ExportError.store(let reason) = error else { return false }
            return reason.contains("only.log") && reason.contains("disk I/O error")
        }
    }
}
