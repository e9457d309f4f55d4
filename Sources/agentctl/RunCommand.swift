import Agent
import AgentConfig
import Annotation
import ArgumentParser
import Diagnosis
import Dispatch
import Foundation
import Integrations
import Logging
import SIPCore
import Store

/// `agentctl run`: the agent. Watches the configured ticket and chat
/// back-ends, finds the Call-IDs people write, diagnoses each call and
/// posts the explanation back exactly once.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the configured ticket queues and chats; answer each Call-ID with its diagnosis, once.",
        discussion: """
        Polls every back-end of the configuration (inbox, rt, matrix) on its \
        own interval, finds the Call-IDs in what people write, looks each \
        call up in the trace sources, diagnoses it and posts the explanation \
        back: once per ticket, Call-ID set and engine version, also across \
        crashes (the ledger in the database, and a marker in every post).

        With --once: polls each back-end once, answers everything due and \
        exits; with a pushed back-end (slack, mattermost) the listener \
        serves meanwhile. SIGTERM (or Ctrl-C) stops polling, lets posts in flight \
        finish (10 s at most), leaves the rest claimable and exits 0.

        Try it with no service at all:
          agentctl run --config config/local.yaml --once

        Exit codes:
          0  stopped cleanly (or --once finished)
          2  the configuration, the database or a back-end cannot be used
        """)

    @OptionGroup var options: AgentOptions

    @Flag(help: "Poll each back-end once, answer what is due, and exit.")
    var once = false

    @Option(name: .customLong("log-format"), help: ArgumentHelp("Log lines as text or json (default: the configuration's agent.log_format, else text).", valueName: "FORMAT"))
    var logFormat: AgentSettings.LogFormat?

    func run() async throws {
        let configuration = try options.configuration()
        let logger = RunLogging.start(format: logFormat ?? configuration.agent.logFormat)
        let fault: FaultPoint?
        do { fault = try FaultPoint.from(environment: ProcessInfo.processInfo.environment) } catch {
            StandardError.print("error: \(error)")
            throw ExitCode(2)
        }
        let setup = try AgentSetup(options, configuration: configuration, logger: logger)
        let database = setup.database
        defer { database.finishWrites() }
        guard !setup.backends.isEmpty else {
            StandardError.print("error: no ticket or chat back-end to watch: add an inbox, rt, matrix, slack, mattermost, zendesk or jira section to the configuration (docs/agent.md; config/local.yaml is a working example)")
            throw ExitCode(2)
        }
        if setup.sources.isEmpty {
            logger.warning("no trace source is configured: every Call-ID will be answered 'no trace found'; configure exports, homer or http_sources")
        }

        let names = setup.backends.map(\.name)
        let metrics = AgentMetrics()
        let health = HealthBoard(backends: names)
        let service = AgentService(
            settings: AgentService.Settings(concurrency: configuration.agent.concurrency,
                                            lease: configuration.agent.lease.inSeconds),
            backends: setup.backends, sources: setup.sources, diagnoser: setup.diagnoser,
            database: database, renderer: setup.renderer,
            metrics: metrics, health: health, logger: logger, fault: fault)

        let signals = StopSignals { await service.stop() }
        defer { signals.cancel() }
        var listenerTask: Task<Void, Never>?
        // Pushed back-ends (Slack, Mattermost) reach the agent only through
        // the listener: also with --once, which then serves while it works
        // what is due and stops when nothing more is (docs/agent.md).
        let pushed = !service.inboundBackends.isEmpty
        if pushed, !configuration.listener.enabled {
            let names = service.inboundBackends.map(\.name).joined(separator: ", ")
            StandardError.print("error: \(names) receive\(service.inboundBackends.count == 1 ? "s" : "") what the vendor pushes on the agent's listener, which is disabled: set listener.enabled: true (and make its address reachable from the vendor), or remove \(service.inboundBackends.count == 1 ? "that back-end" : "those back-ends")")
            throw ExitCode(2)
        }
        if !once || pushed, configuration.listener.enabled {
            let listener = AgentListener(host: configuration.listener.host, port: configuration.listener.port,
                                         metrics: metrics, health: health, logger: Logger(label: "agent.listener"),
                                         inbound: InboundRoute.routes(for: service, logger: Logger(label: "agent.inbound")),
                                         storePageCache: { await database.writerPageCacheBytes() })
            listenerTask = Task {
                do {
                    // It logs the address and port it bound itself.
                    try await listener.run()
                } catch is CancellationError {
                } catch {
                    logger.error("the listener stopped: \(error)")
                }
            }
        }
        logger.info("agent started", metadata: ["backends": "\(names.joined(separator: ", "))", "once": "\(once)"])
        let summary = await service.run(once: once)
        listenerTask?.cancel()
        await listenerTask?.value
        logger.info("agent stopped", metadata: [
            "posted": "\(summary.posted)", "foundEarlier": "\(summary.foundEarlier)", "nothingToSay": "\(summary.nothingToSay)",
            "retryLater": "\(summary.retryLater)", "released": "\(summary.released)", "failed": "\(summary.failed)"])
        if once {
            print("posted \(summary.posted), found already posted \(summary.foundEarlier), nothing to say \(summary.nothingToSay), to retry \(summary.retryLater), failed \(summary.failed)")
            for inbox in configuration.inboxes {
                print("annotations of \(inbox.name): \(inbox.outDirectory)")
            }
        }
    }
}

extension AgentSettings.LogFormat: ExpressibleByArgument {}

/// SIGTERM and SIGINT turned into a call of `stop` (once), instead of the
/// default of dying mid-post. The handler is installed synchronously (a
/// DispatchSource registers asynchronously, and a signal in that gap would
/// be lost): it writes a byte to a pipe, and a thread of its own reads it
/// and calls `stop`. The signals are also unblocked, since a parent (a test
/// runner, a supervisor) may hand down a mask that blocks them.
final class StopSignals: Sendable {
    private nonisolated(unsafe) static var writeEnd: Int32 = -1

    init(stop: @escaping @Sendable () async -> Void) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        Self.writeEnd = fds[1]
        let readEnd = fds[0]
        for number in [SIGTERM, SIGINT] {
            signal(number) { _ in
                var byte: UInt8 = 1
                _ = write(StopSignals.writeEnd, &byte, 1)
            }
        }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0, errno == EINTR {}
            let done = DispatchSemaphore(value: 0)
            Task {
                await stop()
                done.signal()
            }
            done.wait()
        }
    }

    /// Back to the default: a second signal after the run ends kills.
    func cancel() {
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}
