import Annotation
import Foundation
import Integrations
import Logging
import Store

/// The agent: one poller per back-end, and a work loop that claims due
/// ledger items and works at most `concurrency` of them at once. `run`
/// returns when `stop()` is called (SIGTERM) or, with `once`, when every
/// back-end was polled once and nothing more is claimable within a lease.
public final class AgentService: Sendable {
    public struct Settings: Sendable {
        public var concurrency: Int
        /// Seconds a claim holds.
        public var lease: Double
        /// How long in-flight posts may take to finish after stop().
        public var shutdownGrace: Duration
        /// The ledger's owner name: unique per process.
        public var owner: String
        public var retryPolicy: RetryPolicy

        public init(concurrency: Int = 4, lease: Double = 120, shutdownGrace: Duration = .seconds(10),
                    owner: String = AgentService.defaultOwner(), retryPolicy: RetryPolicy = RetryPolicy()) {
            self.concurrency = max(1, concurrency)
            self.lease = lease
            self.shutdownGrace = shutdownGrace
            self.owner = owner
            self.retryPolicy = retryPolicy
        }
    }

    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    }

    public let settings: Settings
    public let backends: [any ConversationBackend]
    public let metrics: AgentMetrics
    public let health: HealthBoard
    let ledger: any Ledger
    let journal: any AgentJournal
    let worker: AnnotationWorker
    let intake: ThreadIntake
    let logger: Logger
    let signal = WorkSignal()
    let stopFlag = StopFlag()

    public init(settings: Settings, backends: [any ConversationBackend], sources: [any CallTraceSource],
                diagnoser: CachedDiagnoser, database: StoreDatabase, renderer: AnnotationRenderer,
                metrics: AgentMetrics, health: HealthBoard, logger: Logger, fault: FaultPoint? = nil) {
        self.settings = settings
        self.backends = backends
        self.metrics = metrics
        self.health = health
        self.logger = logger
        ledger = database.ledger(policy: settings.retryPolicy)
        journal = database.agentJournal()
        intake = ThreadIntake(ledger: ledger, journal: journal)
        worker = AnnotationWorker(
            backends: Dictionary(backends.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }),
            ledger: ledger, journal: journal,
            findings: FindingsMaker(lookup: CallLookup(sources: sources), diagnoser: diagnoser, metrics: metrics),
            renderer: renderer, metrics: metrics, health: health, logger: logger, owner: settings.owner,
            lease: settings.lease, maxAttempts: settings.retryPolicy.maxAttempts, faults: FaultInjector(point: fault))
    }

    /// Stop taking work; in-flight posts get `shutdownGrace` to finish,
    /// then are cancelled and their claims released.
    public func stop() async {
        await stopFlag.set()
        await signal.notify()
    }

    public struct Summary: Sendable, Equatable {
        public var posted = 0
        public var foundEarlier = 0
        public var nothingToSay = 0
        public var retryLater = 0
        public var failed = 0
        public var released = 0
    }

    /// `poll: false` only works what is due (replay --post).
    public func run(once: Bool, poll: Bool = true) async -> Summary {
        let pollers = Task {
            await withTaskGroup(of: Void.self) { group in
                for backend in backends where poll {
                    let poller = BackendPoller(backend: backend, intake: intake, journal: journal, metrics: metrics,
                                               health: health, logger: logger, signal: signal)
                    group.addTask { await poller.run(once: once) }
                }
            }
        }
        if once {
            // Everything polled first, so the work loop's end is well defined.
            await pollers.value
        }
        let summary = await workLoop(once: once)
        pollers.cancel()
        await pollers.value
        return summary
    }

    private actor Tally {
        var summary = Summary()
        var inFlight = 0
        func started() { inFlight += 1 }
        func finished(_ outcome: AnnotationWorker.Outcome) {
            inFlight -= 1
            switch outcome {
            case .posted: summary.posted += 1
            case .foundEarlier: summary.foundEarlier += 1
            case .nothingToSay: summary.nothingToSay += 1
            case .retryLater: summary.retryLater += 1
            case .failed: summary.failed += 1
            case .released: summary.released += 1
            }
        }
    }

    private func workLoop(once: Bool) async -> Summary {
        let tally = Tally()
        let names = backends.map(\.name)
        await withDiscardingTaskGroup { group in
            while await !stopFlag.isSet {
                let free = settings.concurrency - (await tally.inFlight)
                var claimed: [LedgerItem] = []
                if free > 0 {
                    do {
                        let all = try ledger.claimDue(owner: settings.owner, limit: free, lease: settings.lease)
                        claimed = all.filter { names.contains($0.key.backend) }
                        // Another agent's back-end (a ledger shared with an
                        // agent configured otherwise): handed straight back.
                        for item in all where !names.contains(item.key.backend) {
                            _ = try? ledger.release(item.key, owner: settings.owner)
                        }
                    } catch {
                        logger.error("cannot claim work from the ledger: \(error)")
                    }
                }
                for item in claimed {
                    await tally.started()
                    group.addTask { [worker, signal] in
                        let outcome = await worker.process(item)
                        await tally.finished(outcome)
                        await signal.notify()
                    }
                }
                if once, claimed.isEmpty, await tally.inFlight == 0 {
                    // Done unless an item becomes claimable within a lease
                    // (a crashed run's claim running out, a quick retry).
                    let next = (try? journal.nextClaimable(backends: names)) ?? nil
                    let now = Date().timeIntervalSince1970
                    guard let next, next - now <= settings.lease + 1 else { break }
                    await signal.wait(upTo: .milliseconds(Int64(max(10, min(1000, (next - now) * 1000 + 20)))))
                    continue
                }
                await signal.wait(upTo: .seconds(1))
            }
            // Stopping: in-flight work gets the grace period, then is
            // cancelled (a cancelled worker releases its claim).
            let deadline = ContinuousClock.now + settings.shutdownGrace
            while await tally.inFlight > 0, ContinuousClock.now < deadline {
                await signal.wait(upTo: .milliseconds(100))
            }
            if await tally.inFlight > 0 {
                logger.warning("shutdown grace period over; cancelling in-flight work (its claims are released)")
                group.cancelAll()
            }
        }
        return await tally.summary
    }
}
