import Annotation
import Diagnosis
import Foundation
import Integrations
import Logging
import Store

/// A polled thread turned into ledger work: the Call-IDs of every text
/// (not the agent's own), less those already covered on this thread at
/// this engine version, become one item for (back-end, thread, Call-ID
/// set, engine version). A later reply that adds a Call-ID makes a new
/// item for it alone; the same text polled again makes none.
struct ThreadIntake: Sendable {
    var ledger: any Ledger
    var journal: any AgentJournal
    var extractor = CallIDExtractor()
    var engineVersion = Diagnosis.engineVersion
    /// A ticket naming more calls than this is answered for the first
    /// ones (marked first); the rest are said in the log.
    var maxCallIDs = 10

    struct Recorded: Sendable {
        var key: LedgerKey
        var callIDs: [String]
        /// Beyond `maxCallIDs`, left out.
        var leftOut: [String]
    }

    /// The ledger item's id for this work: the thread, then the marker's
    /// id, which is a function of the rest of the key.
    static func itemID(thread: String, marker: AnnotationMarker) -> String {
        "\(thread)#\(marker.id)"
    }

    func candidates(in thread: ConversationThread) -> [CallIDCandidate] {
        var order: [String] = []
        var marked: [String: Bool] = [:]
        for text in thread.texts where !AnnotationMarker.isAgentPost(text.body) {
            for c in extractor.candidates(in: text.body, markup: text.markup) {
                if marked[c.callID] == nil { order.append(c.callID) }
                marked[c.callID] = (marked[c.callID] ?? false) || c.marked
            }
        }
        return order.map { CallIDCandidate(callID: $0, marked: marked[$0] ?? false) }
    }

    func record(_ thread: ConversationThread, backend: String) throws -> Recorded? {
        let all = candidates(in: thread)
        guard !all.isEmpty else { return nil }
        let covered = try journal.coveredCallIDs(backend: backend, thread: thread.id, engineVersion: engineVersion)
        let fresh = all.filter { !covered.contains($0.callID) }
        guard !fresh.isEmpty else { return nil }
        // Marked ones first: the text said they are Call-IDs.
        let ranked = fresh.filter(\.marked) + fresh.filter { !$0.marked }
        let kept = Array(ranked.prefix(maxCallIDs))
        let ids = kept.map(\.callID).sorted()
        let marker = AnnotationMarker(backend: backend, thread: thread.id, callIDs: ids, engineVersion: engineVersion)
        let key = LedgerKey(backend: backend, itemID: Self.itemID(thread: thread.id, marker: marker))
        // The work first, the ledger item second: a crash between them
        // leaves a work row that covers nothing (coverage needs the ledger
        // item), and the cursor, saved after, makes the next poll redo it.
        try journal.recordWork(AgentWork(key: key, threadID: thread.id, threadTitle: thread.title, callIDs: ids,
                                         markedCallIDs: kept.filter(\.marked).map(\.callID), engineVersion: engineVersion,
                                         seenAt: thread.seenAt.timeIntervalSince1970, replyTo: thread.replyTo))
        try ledger.recordSeen(key, callIDs: ids)
        return Recorded(key: key, callIDs: ids, leftOut: ranked.dropFirst(maxCallIDs).map(\.callID))
    }
}

extension ThreadIntake {
    /// Records each thread (a poll's, or a pushed delivery's), counting
    /// and logging what it brought; returns how many made new work.
    func take(_ threads: [ConversationThread], backend: any ConversationBackend, metrics: AgentMetrics,
              logger: Logger) throws -> Int {
        var recorded = 0
        for thread in threads {
            metrics.seen(backend: backend.name, kind: backend.kind)
            guard let r = try record(thread, backend: backend.name) else { continue }
            recorded += 1
            metrics.callIDsFound(backend: backend.name, count: r.callIDs.count)
            logger.info("new Call-IDs", metadata: ["backend": "\(backend.name)", "thread": "\(thread.id)",
                                                   "callIDs": "\(r.callIDs.joined(separator: " "))"])
            if !r.leftOut.isEmpty {
                logger.warning("too many Call-IDs in one thread; the rest wait for the next poll", metadata: [
                    "backend": "\(backend.name)", "thread": "\(thread.id)", "leftOut": "\(r.leftOut.count)"])
            }
        }
        return recorded
    }
}
