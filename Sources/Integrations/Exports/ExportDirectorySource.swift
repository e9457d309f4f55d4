import Store
import TraceFormats

/// Finds a call in export directories by its Call-ID alone. Through the
/// index: the spans of the Call-ID, then of its legs' keys (local part,
/// correlation values, learnt from the call's own messages as they are
/// read), and only those byte ranges are read, from every file that
/// holds part of the call; the parts become one trace in time order.
/// A directory with nothing indexed is scanned instead (every file read),
/// and the trace says so.
///
/// The Call-ID is only ever a key asked of the index and a value
/// compared with: never part of a path. Paths come from the index and
/// are read only when they lie inside a configured directory.
public struct ExportDirectorySource: CallTraceSource {
    public var directories: [ExportDirectory]
    /// Nil: no index at all, every lookup scans.
    public var store: (any TraceIndexStore)?

    /// A key tying more calls than this is no tie (a constant X-Call-ID a
    /// misconfigured box stamps on everything).
    static let maxCallsPerKey = 64
    /// Legs gathered at most, and rounds of learning new keys from them.
    static let maxCalls = 64
    static let maxRounds = 4

    public init(directories: [ExportDirectory], store: (any TraceIndexStore)?) {
        self.directories = directories
        self.store = store
    }

    public var name: String { "exports " + directories.map(\.path).joined(separator: ", ") }

    public func findTrace(callID: String) async throws -> FoundTrace? {
        try find(callID: callID)
    }

    /// `findTrace` on the calling thread.
    public func find(callID: String) throws(ExportError) -> FoundTrace? {
        guard !callID.isEmpty else { return nil }
        var roots: [(ExportDirectory, String)] = []
        var scanned: [(ExportDirectory, String)] = []
        for d in directories {
            guard let root = ExportWalk.resolved(d.path) else {
                throw .directoryUnreadable(path: d.path, reason: "it does not exist or cannot be reached")
            }
            let indexed = try store.map { s throws(ExportError) in
                do { return try !s.indexedFiles(under: root).filter { ExportWalk.isInside($0.path, root) }.isEmpty } catch { throw .store("\(error)") }
            } ?? false
            if indexed { roots.append((d, root)) } else { scanned.append((d, root)) }
        }
        var indexes: [(any TraceIndexStore, [(ExportDirectory, String)])] = []
        if let store, !roots.isEmpty { indexes.append((store, roots)) }
        var scanNote: String?
        if !scanned.isEmpty {
            let scratch = InMemoryTraceIndex()
            var files = 0
            for (d, _) in scanned {
                let listing = try ExportWalk.list(d)
                for look in listing.files {
                    guard let r = try? TraceFileIndexer.index(look, in: d, now: 0) else { continue }
                    try? scratch.replace(r.file, spans: r.spans)
                    files += 1
                }
            }
            indexes.append((scratch, scanned))
            let paths = scanned.map(\.0.path).joined(separator: ", ")
            scanNote = "\(paths) \(scanned.count == 1 ? "is" : "are") not indexed: found by scanning \(files) file\(files == 1 ? "" : "s"); run agentctl index \(scanned.map(\.0.path).joined(separator: " ")) for lookups in milliseconds"
        }
        return try lookup(callID, in: indexes, scanNote: scanNote)
    }

    private struct Located {
        var file: IndexedFile
        var directory: ExportDirectory
        var index: any TraceIndexStore
        var ranges: [Range<Int64>] = []
        var firstTime: Double?
    }

    private func lookup(_ callID: String, in indexes: [(any TraceIndexStore, [(ExportDirectory, String)])], scanNote: String?) throws(ExportError) -> FoundTrace? {
        var wanted: Set<String> = [callID]
        var asked = Set<String>()
        var pending = [callID] + (LegKeys.localPart(callID).map { [$0] } ?? [])
        var own: [String: [(IndexedCallSpan, any TraceIndexStore, ExportDirectory)]] = [:]
        var parts: [Part] = []
        var skipped: [String] = []
        for _ in 0..<Self.maxRounds {
            var found = Set<String>()
            for key in pending where asked.insert(key).inserted {
                var legs = Set<String>()
                for (index, dirs) in indexes {
                    let spans: [IndexedCallSpan]
                    do { spans = try index.spans(forKey: key) } catch { throw .store("looking up \(key) failed: \(error)") }
                    for s in spans {
                        guard let d = dirs.first(where: { ExportWalk.isInside(s.path, $0.1) })?.0 else { continue }
                        if s.kind == .callID {
                            if s.key == s.callID { own[s.callID, default: []].append((s, index, d)) }
                        } else if s.callID != callID {
                            legs.insert(s.callID)
                        }
                    }
                }
                if legs.count <= Self.maxCallsPerKey { found.formUnion(legs) }
            }
            pending = []
            for c in found.sorted() where wanted.count < Self.maxCalls && wanted.insert(c).inserted {
                pending.append(c)
                if let local = LegKeys.localPart(c) { pending.append(local) }
            }
            // The call's own correlation values (a Session-ID both legs
            // carry) are in its messages, not in any key of its own:
            // read what is wanted so far and learn them.
            (parts, skipped) = try read(own, wanted: wanted)
            for part in parts {
                for m in part.trace.messages { pending += LegKeys.correlationValues(m.message) }
            }
            pending.removeAll { asked.contains($0) }
            if pending.isEmpty { break }
        }
        guard own[callID] != nil else { return nil }
        guard !parts.isEmpty else {
            guard skipped.isEmpty else { throw .file(path: callID, reason: "the call is indexed but none of its files could be read: " + skipped.joined(separator: "; ")) }
            return nil
        }
        var digest = TraceDigest()
        var origins: [String] = []
        for part in parts {
            digest.update(part.bytes)
            let ranges = part.ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ")
            origins.append("\(part.path) (bytes \(ranges)\(part.compressed ? " of the uncompressed stream" : ""))")
        }
        guard var trace = TraceMerge.merge(parts.map { ($0.path, $0.trace) }) else { return nil }
        var origin = origins.joined(separator: ", ")
        trace.warnings.insert(contentsOf: skipped, at: 0)
        if let scanNote {
            trace.warnings.insert(scanNote, at: 0)
            origin += " (scanned: not indexed)"
        }
        return FoundTrace(trace: trace, origin: origin, digest: digest.finalize())
    }

    private struct Part {
        var path: String
        var compressed: Bool
        var trace: Trace
        var bytes: [UInt8]
        var ranges: [Range<Int64>]
        var firstTime: Double
    }

    /// The parts of every file holding a wanted Call-ID, in the order of
    /// their first message (then by path). A file that changed since it
    /// was indexed (replaced, cut short) is skipped with a warning: the
    /// rest of the call is still worth a diagnosis.
    private func read(_ own: [String: [(IndexedCallSpan, any TraceIndexStore, ExportDirectory)]], wanted: Set<String>) throws(ExportError) -> ([Part], [String]) {
        var byPath: [String: Located] = [:]
        for id in wanted {
            for (span, index, directory) in own[id] ?? [] {
                if byPath[span.path] == nil {
                    let file: IndexedFile?
                    do { file = try index.indexedFile(path: span.path) } catch { throw .store("\(error)") }
                    guard let file else { continue }
                    byPath[span.path] = Located(file: file, directory: directory, index: index)
                }
                byPath[span.path]!.ranges.append(span.byteRange)
                if let t = span.firstTime { byPath[span.path]!.firstTime = min(byPath[span.path]!.firstTime ?? t, t) }
            }
        }
        var parts: [Part] = []
        var skipped: [String] = []
        for (path, located) in byPath.sorted(by: { $0.key < $1.key }) {
            let reader = SpanReader(file: located.file, directory: located.directory, wanted: wanted)
            let read: SpanReader.Part?
            do {
                read = try reader.read(located.ranges)
            } catch {
                guard case .store = error else {
                    skipped.append("\(error) (part of the call may be missing: run agentctl index again)")
                    continue
                }
                throw error
            }
            guard let part = read, !part.trace.messages.isEmpty else { continue }
            parts.append(Part(path: path, compressed: located.file.compressed, trace: part.trace, bytes: part.bytes,
                              ranges: part.ranges, firstTime: located.firstTime ?? .infinity))
        }
        return (parts.sorted { ($0.firstTime, $0.path) < ($1.firstTime, $1.path) }, skipped)
    }
}
