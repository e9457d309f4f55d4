import Agent
import Annotation
import Diagnosis
import Foundation
import Integrations
import Store
import Testing

/// `agentctl replay`: today's annotation beside the posted one, from the
/// cache or the sources, posted only with --post and only when new.
@Suite struct ReplayTests {
    func replay(_ bench: AgentTestBench, engineVersion: Int = Diagnosis.engineVersion) throws -> ThreadReplay {
        let db = try bench.database()
        let directory = ExportDirectory(path: bench.exportsDirectory, maxFileBytes: 1 << 30, include: ["*"], settleSeconds: 0)
        return ThreadReplay(database: db, sources: [ExportDirectorySource(directories: [directory], store: db.traceIndex)],
                            diagnoser: CachedDiagnoser(diagnoser: Diagnoser(), cache: db.diagnosisCache()),
                            renderer: AnnotationRenderer(redactor: try Redactor(rules: RedactionRules())),
                            styles: ["local": bench.inbox().postStyle], engineVersion: engineVersion)
    }

    @Test func fromTheCacheTheSameResultShowsNoChange() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        _ = try await bench.runOnce()
        let entries = try await replay(bench).replay(thread: "ticket-101", backend: nil, refetch: false)
        let entry = try #require(entries.first)
        #expect(entry.problems.isEmpty, "\(entry.problems)")
        #expect(entry.new != nil && !entry.changed && entry.alreadyPosted)
        let refetched = try await replay(bench).replay(thread: "ticket-101", backend: "local", refetch: true)
        #expect(refetched.first?.changed == false)
        #expect(try replay(bench).enqueue(entry) == false, "the same result is never posted twice")
    }

    @Test func aChangedResultShowsItsDiffAndIsPostedOnce() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-101"])
        _ = try await bench.runOnce()
        let db = try bench.database()
        let journal = db.agentJournal()
        let work = try #require(try journal.works(thread: "ticket-101", backend: "local").first)
        // What an older engine posted, worded otherwise.
        let posted = try #require(try journal.post(work.key))
        try journal.savePost(JournalPost(marker: posted.marker, plain: posted.plain, formatted: "An older explanation.\n" + (posted.formatted ?? ""),
                                         markup: posted.markup), for: work.key)
        // Today's engine is "newer": its result is a new item.
        let newer = try replay(bench, engineVersion: Diagnosis.engineVersion + 1)
        let entries = try await newer.replay(thread: "ticket-101", backend: nil, refetch: true)
        let entry = try #require(entries.first)
        #expect(entry.changed)
        #expect(entry.diff.contains("- An older explanation."))
        #expect(!entry.alreadyPosted)
        #expect(try newer.enqueue(entry))
        #expect(try db.ledger().item(try #require(entry.newKey))?.state == .seen)
        // Enqueued twice is still one item.
        #expect(try newer.enqueue(entry))
        // From the cache, a newer engine has no verdict: it says to refetch.
        let cached = try await newer.replay(thread: "ticket-101", backend: nil, refetch: false)
        #expect(cached.first?.problems.first?.contains("--refetch") == true)
    }

    @Test func theCommandPrintsPostsOnlyNewAndNamesUnknownThreads() async throws {
        let bench = try AgentTestBench(tickets: ["ticket-105"])
        let config = try bench.writeConfiguration()
        #expect(try await AgentctlRun.run(["run", "--config", config, "--once"]).status == 0)
        let shown = try await AgentctlRun.run(["replay", "ticket-105", "--config", config])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("3b4c5d6f-603@192.168.1.50"))
        #expect(shown.stdout.contains("the same as the posted annotation"))
        let posted = try await AgentctlRun.run(["replay", "ticket-105", "--config", config, "--post"])
        #expect(posted.status == 0)
        #expect(posted.stdout.contains("posted already"))
        #expect(bench.posts("ticket-105").count == 1)
        let unknown = try await AgentctlRun.run(["replay", "ticket-999", "--config", config])
        #expect(unknown.status == 3)
        #expect(unknown.stderr.contains("no record of thread ticket-999"))
    }
}
