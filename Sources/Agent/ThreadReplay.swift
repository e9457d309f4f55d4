import Annotation
import Diagnosis
import Foundation
import Integrations
import Store

/// `agentctl replay THREAD`: a thread's items worked again with today's
/// engine, from the diagnosis cache (or the sources with `refetch`), the
/// new annotation shown beside the one posted. Posting is the agent's
/// usual exactly-once path: the new result is a ledger item of its own
/// (its marker names the engine version), so it is posted at most once
/// however often replay runs.
public struct ThreadReplay: Sendable {
    let journal: any AgentJournal
    let ledger: any Ledger
    let findings: FindingsMaker
    let renderer: AnnotationRenderer
    let styles: [String: PostStyle]
    let engineVersion: Int

    public init(database: StoreDatabase, sources: [any CallTraceSource], diagnoser: CachedDiagnoser,
                renderer: AnnotationRenderer, styles: [String: PostStyle], engineVersion: Int = Diagnosis.engineVersion) {
        journal = database.agentJournal()
        ledger = database.ledger()
        findings = FindingsMaker(lookup: CallLookup(sources: sources), diagnoser: diagnoser, metrics: nil)
        self.renderer = renderer
        self.styles = styles
        self.engineVersion = engineVersion
    }

    public struct Entry: Sendable {
        public var work: AgentWork
        public var state: LedgerState?
        public var postedID: String?
        /// What was posted (or was about to be) for this item.
        public var posted: JournalPost?
        /// Today's annotation; nil with `problems` saying why.
        public var new: RenderedPost?
        public var problems: [String] = []
        /// "  same" / "- gone" / "+ new" lines, posted against new.
        public var diff: [String] = []
        /// True when today's result is already posted (same Call-IDs and
        /// engine version): posting again would change nothing.
        public var alreadyPosted = false
        /// The ledger key today's result would be posted under.
        public var newKey: LedgerKey?

        public var changed: Bool { diff.contains { !$0.hasPrefix("  ") } }
    }

    public enum ReplayError: Error, CustomStringConvertible {
        case unknownThread(String, backend: String?)
        case ambiguous(String, backends: [String])

        public var description: String {
            switch self {
            case let .unknownThread(thread, backend):
                return "the agent has no record of thread \(thread)\(backend.map { " on back-end \($0)" } ?? ""); check the id (an RT ticket number, an inbox ticket id) and --backend"
            case let .ambiguous(thread, backends):
                return "thread \(thread) is known on several back-ends (\(backends.joined(separator: ", "))); say which with --backend NAME"
            }
        }
    }

    public func replay(thread: String, backend: String?, refetch: Bool) async throws -> [Entry] {
        let works = try journal.works(thread: thread, backend: backend)
        guard !works.isEmpty else { throw ReplayError.unknownThread(thread, backend: backend) }
        let backends = Array(Set(works.map(\.key.backend))).sorted()
        guard backends.count == 1 else { throw ReplayError.ambiguous(thread, backends: backends) }
        var entries: [Entry] = []
        for work in works {
            let item = try ledger.item(work.key)
            var entry = Entry(work: work, state: item?.state, postedID: item?.postedID, posted: try journal.post(work.key))
            let found: [CallFinding]
            if refetch {
                var made = await findings.make(callIDs: work.callIDs, marked: Set(work.markedCallIDs))
                FindingsMaker.giveUp(&made, marked: Set(work.markedCallIDs))
                found = made.findings
                if found.isEmpty { entry.problems.append("no source holds these calls, and the text did not mark them as Call-IDs") }
            } else {
                (found, entry.problems) = fromCache(work)
            }
            if !found.isEmpty, entry.problems.isEmpty {
                let marker = AnnotationMarker(backend: work.key.backend, thread: work.threadID, callIDs: work.callIDs,
                                              engineVersion: engineVersion)
                let style = styles[work.key.backend] ?? PostStyle(markup: .markdown, maxCharacters: 20_000)
                let post = renderer.render(found, marker: marker, style: style)
                entry.new = post
                let key = LedgerKey(backend: work.key.backend, itemID: ThreadIntake.itemID(thread: work.threadID, marker: marker))
                entry.newKey = key
                entry.alreadyPosted = try ledger.item(key)?.state == .posted
                let old = entry.posted.map { $0.formatted ?? $0.plain } ?? ""
                entry.diff = LineDiff.lines(old, post.formatted ?? post.plain)
            }
            entries.append(entry)
        }
        return entries
    }

    /// The findings as recorded, diagnoses read back from the cache.
    private func fromCache(_ work: AgentWork) -> ([CallFinding], [String]) {
        guard let text = try? journal.findings(work.key) else {
            return ([], ["no findings were recorded for this item (nothing was posted); run with --refetch to ask the sources"])
        }
        var found: [CallFinding] = []
        var problems: [String] = []
        for r in FindingRecord.decode(text) {
            switch r.kind {
            case .diagnosed:
                let key = DiagnosisCacheKey(callIDs: r.cacheCallIDs ?? [r.callID], traceDigest: r.digest ?? "", engineVersion: engineVersion)
                if let d = findings.diagnoser.cached(key) {
                    found.append(CallFinding(callID: r.callID, outcome: .diagnosed(d, origin: r.origin ?? "")))
                } else {
                    problems.append("the cache holds no verdict of engine \(engineVersion) for Call-ID \(r.callID) (a newer engine, or the cache was pruned); run with --refetch to read its trace again")
                }
            case .noTrace:
                found.append(CallFinding(callID: r.callID, outcome: .noTrace(asked: r.details ?? [])))
            case .unreadable:
                found.append(CallFinding(callID: r.callID, outcome: .unreadable(origin: r.origin ?? "", reason: r.reason ?? "")))
            case .sourcesFailed:
                found.append(CallFinding(callID: r.callID, outcome: .sourcesFailed(r.details ?? [])))
            }
        }
        return (found, problems)
    }

    /// Records today's result of `entry` as a ledger item (its own marker)
    /// so that the agent's work loop posts it, exactly once. False when it
    /// is already posted or there is nothing new.
    public func enqueue(_ entry: Entry) throws -> Bool {
        guard entry.new != nil, !entry.alreadyPosted, let key = entry.newKey else { return false }
        if let existing = try ledger.item(key), existing.state != .posted {
            return !existing.state.isFinal
        }
        try journal.recordWork(AgentWork(key: key, threadID: entry.work.threadID, threadTitle: entry.work.threadTitle,
                                         callIDs: entry.work.callIDs, markedCallIDs: entry.work.markedCallIDs,
                                         engineVersion: engineVersion, seenAt: Date().timeIntervalSince1970,
                                         replyTo: entry.work.replyTo))
        try ledger.recordSeen(key, callIDs: entry.work.callIDs)
        return true
    }
}
