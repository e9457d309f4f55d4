import Agent
import AgentConfig
import Annotation
import ArgumentParser
import Foundation
import Integrations
import Logging
import SIPCore
import Store

/// `agentctl replay THREAD`: what the agent would answer today, beside
/// what it answered; posted only with --post, and then exactly once.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a ticket or message again: print today's annotation and what changed against the one posted.",
        discussion: """
        THREAD is the id the agent answered in: an RT ticket number, an inbox \
        ticket id (ticket-101), a Matrix thread id as the logs print it. The \
        diagnoses come from the cache, keyed by the trace's bytes and the \
        engine version; with --refetch the traces are read again from the \
        sources (needed after an engine upgrade, or when a trace grew).

        With --post the new annotation is posted when it is a new result (its \
        Call-IDs and engine version were never posted on this thread): once, \
        however often replay runs, through the same ledger as agentctl run.

        Exit codes:
          0  replayed (and posted, with --post, when there was something new)
          2  the configuration or database cannot be used, or a result could not be made
          3  the agent has no record of THREAD
        """)

    @Argument(help: "The ticket or thread id, as the agent answered in it.")
    var thread: String

    @Option(help: ArgumentHelp("The back-end's configured name, when the id is known on several.", valueName: "NAME"))
    var backend: String?

    @Flag(help: "Read the traces again from the sources instead of the cache.")
    var refetch = false

    @Flag(help: "Post the new annotation (only a new result, and only once).")
    var post = false

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let configuration = try options.configuration()
        let logger = RunLogging.start(format: .text)
        let setup = try AgentSetup(options, configuration: configuration, logger: logger)
        defer { setup.database.finishWrites() }
        let replay = ThreadReplay(database: setup.database, sources: setup.sources, diagnoser: setup.diagnoser,
                                  renderer: setup.renderer,
                                  styles: Dictionary(setup.backends.map { ($0.name, $0.postStyle) }, uniquingKeysWith: { a, _ in a }))
        let entries: [ThreadReplay.Entry]
        do {
            entries = try await replay.replay(thread: thread, backend: backend, refetch: refetch)
        } catch let error as ThreadReplay.ReplayError {
            StandardError.print("error: \(error)")
            if case .unknownThread = error { throw ExitCode(3) }
            throw ExitCode(2)
        }
        var failed = false
        var queued = 0
        for entry in entries {
            let w = entry.work
            print("== \(w.key.backend) \(w.threadID): Call-IDs \(w.callIDs.joined(separator: ", ")) (engine \(w.engineVersion), \(entry.state?.rawValue ?? "not in the ledger")\(entry.postedID.map { ", posted as \($0)" } ?? ""))")
            for p in entry.problems { StandardError.print("error: \(p)") }
            guard let new = entry.new else {
                failed = true
                continue
            }
            print(new.formatted ?? new.plain)
            if entry.posted == nil {
                print("-- nothing was posted for this item before")
            } else if entry.changed {
                print("-- changes against the posted annotation (- posted, + now):")
                for line in entry.diff where !line.hasPrefix("  ") { print(line) }
            } else {
                print("-- the same as the posted annotation")
            }
            if post {
                if entry.alreadyPosted {
                    print("-- not posted: this result (same Call-IDs, engine version) is posted already")
                } else if try replay.enqueue(entry) {
                    queued += 1
                }
            }
        }
        if post, queued > 0 {
            let service = AgentService(
                settings: AgentService.Settings(concurrency: configuration.agent.concurrency, lease: configuration.agent.lease.inSeconds),
                backends: setup.backends, sources: setup.sources, diagnoser: setup.diagnoser, database: setup.database,
                renderer: setup.renderer, metrics: AgentMetrics(), health: HealthBoard(backends: setup.backends.map(\.name)),
                logger: logger)
            let summary = await service.run(once: true, poll: false)
            print("-- posted \(summary.posted + summary.foundEarlier) new annotation(s)")
        }
        if failed { throw ExitCode(2) }
    }
}
