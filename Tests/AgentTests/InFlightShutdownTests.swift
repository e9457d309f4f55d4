import Agent
import Annotation
import Diagnosis
import Foundation
import Integrations
import Logging
import Store
import Testing

/// stop() (what SIGTERM calls) with a post in flight: within the grace
/// period the post finishes and is recorded; past it the post is
/// cancelled and the claim released, so the next run posts it, once.
@Suite struct InFlightShutdownTests {
    /// An inbox whose posts take `delay` (a slow ticket system), and which
    /// says when one has started.
    struct SlowInbox: ConversationBackend {
        var inbox: InboxBackend
        var delay: Duration
        var started: Problems

        var name: String { inbox.name }
        var kind: ConversationKind { .tickets }
        var postStyle: PostStyle { inbox.postStyle }
        var pollInterval: Duration { .seconds(60) }
        func poll(after cursor: String?) async throws -> ConversationPoll { try await inbox.poll(after: cursor) }
        func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
            try await inbox.findPost(marker: marker, in: thread)
        }
        func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
            started.add(thread.id)
            try await Task.sleep(for: delay)
            return try await inbox.post(post, in: thread, idempotencyKey: idempotencyKey)
        }
    }

    func service(_ bench: AgentTestBench, backend: any ConversationBackend, grace: Duration) throws -> AgentService {
        let db = try bench.database()
        let directory = ExportDirectory(path: bench.exportsDirectory, maxFileBytes: 1 << 30, include: ["*"], settleSeconds: 0)
        return AgentService(
            settings: AgentService.Settings(concurrency: 2, lease: 30, shutdownGrace: grace),
            backends: [backend], sources: [ExportDirectorySource(directories: [directory], store: db.traceIndex)],
            diagnoser: CachedDiagnoser(diagnoser: Diagnoser(), cache: db.diagnosisCache()), database: db,
            renderer: AnnotationRenderer(redactor: try Redactor(rules: RedactionRules())),
            metrics: AgentMetrics(), health: HealthBoard(backends: [backend.name]),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func stopOnceAPostStarted(_ service: AgentService, _ started: Problems) async throws -> AgentService.Summary {
        let run = Task { await service.run(once: false) }
        // Generous: the whole suite shares two cooperative threads, and this
        // returns as soon as the post starts.
        let deadline = ContinuousClock.now + .seconds(300)
        while started.all.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!started.all.isEmpty, "no post started")
        await service.stop()
        return await run.value
    }

    @Test func aPostWithinTheGracePeriodFinishes() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let started = Problems()
        let slow = SlowInbox(inbox: bench.inbox(), delay: .milliseconds(500), started: started)
        let summary = try await stopOnceAPostStarted(try service(bench, backend: slow, grace: .seconds(120)), started)
        #expect(summary.posted == 1 && summary.released == 0, "\(summary)")
        #expect(bench.posts("ticket-101").count == 1)
    }

    @Test func aPostPastTheGracePeriodIsReleasedAndPostedOnceLater() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        let started = Problems()
        let slow = SlowInbox(inbox: bench.inbox(), delay: .seconds(600), started: started)
        let summary = try await stopOnceAPostStarted(try service(bench, backend: slow, grace: .milliseconds(200)), started)
        #expect(summary.released == 1 && summary.posted == 0, "\(summary)")
        #expect(bench.posts("ticket-101").isEmpty)
        // Released: claimable at once, the intent kept for the next agent.
        let db = try bench.database()
        let work = try #require(try db.agentJournal().works(thread: "ticket-101", backend: "local").first)
        let item = try #require(try db.ledger().item(work.key))
        #expect(item.claim == nil && item.postIntent != nil && item.state == .diagnosed)
        #expect(try await bench.runOnce().posted == 1)
        #expect(bench.posts("ticket-101").count == 1)
    }
}
