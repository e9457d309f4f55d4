import Foundation
import Store

/// A trace index held in memory: what the lookup of a directory that was
/// never indexed builds as it scans, and what tests use where no SQLite
/// file is wanted. Same contract as the SQLite store: each `replace` is
/// whole.
public final class InMemoryTraceIndex: TraceIndexStore, @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: IndexedFile] = [:]
    private var spansByPath: [String: [IndexedCallSpan]] = [:]
    private var byKey: [String: [IndexedCallSpan]] = [:]
    /// `replace` calls so far: tests count the files a run recorded.
    public private(set) var replacements = 0

    public init() {}

    public func indexedFile(path: String) throws -> IndexedFile? {
        lock.withLock { files[path] }
    }

    public func indexedFiles(under directory: String) throws -> [IndexedFile] {
        lock.withLock { files.values.filter { $0.path.hasPrefix(directory) }.sorted { $0.path < $1.path } }
    }

    public func replace(_ file: IndexedFile, spans: [IndexedCallSpan]) throws {
        lock.withLock {
            forget(file.path)
            files[file.path] = file
            spansByPath[file.path] = spans
            for s in spans { byKey[s.key, default: []].append(s) }
            replacements += 1
        }
    }

    public func removeFile(path: String) throws {
        lock.withLock { forget(path) }
    }

    public func spans(forKey key: String) throws -> [IndexedCallSpan] {
        lock.withLock { byKey[key] ?? [] }
    }

    /// Every span recorded, for tests that look for duplicates.
    public var allSpans: [IndexedCallSpan] {
        lock.withLock { spansByPath.keys.sorted().flatMap { spansByPath[$0]! } }
    }

    private func forget(_ path: String) {
        files[path] = nil
        guard let old = spansByPath.removeValue(forKey: path) else { return }
        for key in Set(old.map(\.key)) {
            byKey[key]?.removeAll { $0.path == path }
            if byKey[key]?.isEmpty == true { byKey[key] = nil }
        }
    }
}
