import Annotation
import Diagnosis
import Foundation
import Integrations
import Logging
import Store

/// Works one claimed ledger item to its post, exactly once across
/// crashes: findings, render, the post intent with its marker in the
/// ledger, the marker looked for on the back-end (a post that went out
/// before a crash is found, not repeated), the post with the marker's id
/// as idempotency key, then the posted id in the ledger.
struct AnnotationWorker: Sendable {
    var backends: [String: any ConversationBackend]
    var ledger: any Ledger
    var journal: any AgentJournal
    var findings: FindingsMaker
    var renderer: AnnotationRenderer
    var metrics: AgentMetrics
    var health: HealthBoard
    var logger: Logger
    var owner: String
    var lease: Double
    var maxAttempts: Int
    var faults: FaultInjector

    enum Outcome: Sendable, Equatable {
        case posted(String)
        /// Found on the back-end from an earlier attempt.
        case foundEarlier(String)
        case nothingToSay
        case retryLater
        case failed
        case released
    }

    @discardableResult
    func process(_ item: LedgerItem) async -> Outcome {
        faults.hit(.afterClaim)
        var log = logger
        log[metadataKey: "backend"] = "\(item.key.backend)"
        log[metadataKey: "item"] = "\(item.key.itemID)"
        do {
            return try await work(item, log)
        } catch is CancellationError {
            return release(item, log)
        } catch {
            if Task.isCancelled { return release(item, log) }
            log.warning("could not answer: \(error)")
            metrics.postFailed(backend: item.key.backend)
            await health.failed(item.key.backend, error: "\(error)")
            _ = try? ledger.recordFailure(item.key, owner: owner, error: "\(error)", retryable: true)
            return .retryLater
        }
    }

    private func release(_ item: LedgerItem, _ log: Logger) -> Outcome {
        _ = try? ledger.release(item.key, owner: owner)
        log.info("released on shutdown; claimable again")
        return .released
    }

    private func work(_ item: LedgerItem, _ log: Logger) async throws -> Outcome {
        guard let work = try journal.work(item.key) else {
            try ledger.recordFailure(item.key, owner: owner, error: "no journal entry for this item (written by another tool?)", retryable: false)
            return .failed
        }
        guard let backend = backends[item.key.backend] else {
            // Configured no more: left claimable for an agent that has it.
            try ledger.release(item.key, owner: owner)
            return .released
        }
        let thread = ConversationThread(id: work.threadID, title: work.threadTitle, texts: [],
                                        seenAt: Date(timeIntervalSince1970: work.seenAt), replyTo: work.replyTo)
        let marker = AnnotationMarker(backend: backend.name, thread: work.threadID, callIDs: work.callIDs,
                                      engineVersion: work.engineVersion)
        // A crash after the intent: the post may have gone out.
        if let intent = item.postIntent, let found = try await backend.findPost(marker: intent.marker, in: thread) {
            try ledger.recordPosted(item.key, marker: intent.marker, postedID: found)
            log.info("found the post of an earlier attempt; recorded it", metadata: ["posted": "\(found)"])
            return .foundEarlier(found)
        }

        let marked = Set(work.markedCallIDs)
        var made = await findings.make(callIDs: work.callIDs, marked: marked)
        for p in made.cacheProblems { log.warning("\(p)") }
        if !made.unanswered.isEmpty {
            if item.attempts < maxAttempts {
                let what = made.unanswered.map { "\($0.callID): \($0.failures.joined(separator: "; "))" }.joined(separator: " | ")
                try ledger.recordFailure(item.key, owner: owner, error: "trace sources could not be asked: \(what)", retryable: true)
                log.warning("trace sources could not be asked; trying again later", metadata: ["error": "\(what)"])
                return .retryLater
            }
            FindingsMaker.giveUp(&made, marked: marked)
        }
        if !made.dropped.isEmpty {
            log.debug("no trace for unmarked candidates; dropped", metadata: ["callIDs": "\(made.dropped.joined(separator: " "))"])
        }
        guard !made.findings.isEmpty else {
            try ledger.recordFailure(item.key, owner: owner,
                                     error: "nothing to post: no trace for \(made.dropped.joined(separator: ", ")), which the text did not mark as Call-IDs",
                                     retryable: false)
            return .nothingToSay
        }
        try journal.saveFindings(FindingRecord.encode(made.records), for: item.key)
        try ledger.advance(item.key, to: .diagnosed, owner: owner)

        let post = renderer.render(made.findings, marker: marker, style: backend.postStyle)
        try journal.savePost(JournalPost(marker: post.marker, plain: post.plain, formatted: post.formatted,
                                         markup: post.markup.rawValue), for: item.key)
        // No second look for the marker here: nothing is posted before an
        // intent, and an intent of an earlier attempt was looked up above
        // (the marker is the same: same thread, Call-IDs and engine).
        try ledger.recordPostIntent(item.key, owner: owner, marker: post.marker)
        try Task.checkCancellation()
        try ledger.renew(item.key, owner: owner, lease: lease)
        faults.arm(.duringPost)
        let postedID = try await backend.post(post, in: thread, idempotencyKey: marker.id)
        faults.hit(.afterPost)
        // Recorded even if the lease ran out meanwhile: the post is out.
        try ledger.recordPosted(item.key, marker: post.marker, postedID: postedID)
        let latency = Date().timeIntervalSince1970 - work.seenAt
        metrics.posted(backend: backend.name, secondsSinceSeen: latency)
        await health.succeeded(backend.name)
        log.info("posted", metadata: ["posted": "\(postedID)", "thread": "\(work.threadID)",
                                      "callIDs": "\(work.callIDs.joined(separator: " "))",
                                      "seconds": "\(String(format: "%.3f", latency))"])
        return .posted(postedID)
    }
}
