import Foundation
import Integrations
import Logging
import Store

/// One back-end's own loop: poll after the stored cursor, record what is
/// new, keep the cursor, wait its interval. A failing back-end backs off
/// on its own (doubling up to `maxBackoff`), says so in the log, the
/// metrics and /healthz, and never holds up the others.
struct BackendPoller: Sendable {
    var backend: any ConversationBackend
    var intake: ThreadIntake
    var journal: any AgentJournal
    var metrics: AgentMetrics
    var health: HealthBoard
    var logger: Logger
    var signal: WorkSignal
    var maxBackoff: Duration = .seconds(300)

    /// Polls until cancelled, or once.
    func run(once: Bool) async {
        var failures = 0
        while !Task.isCancelled {
            var wait = backend.pollInterval
            do {
                try await pollOnce()
                failures = 0
            } catch {
                if Task.isCancelled { return }
                failures += 1
                wait = backoff(after: failures)
                let retryAt = Date().addingTimeInterval(Double(wait.components.seconds))
                metrics.pollFailed(backend: backend.name)
                await health.failed(backend.name, error: "\(error)", retryAt: retryAt)
                logger.warning("poll failed; backing off", metadata: [
                    "backend": "\(backend.name)", "error": "\(error)", "failures": "\(failures)",
                    "retryInSeconds": "\(wait.components.seconds)",
                ])
            }
            if once { return }
            do { try await Task.sleep(for: wait) } catch { return }
        }
    }

    func backoff(after failures: Int) -> Duration {
        let base = max(backend.pollInterval, .seconds(1))
        let factor = 1 << min(failures, 16)
        return min(maxBackoff, base * factor)
    }

    /// One poll: every thread recorded before the cursor is kept, so that
    /// a crash in between re-reads them (harmless: the intake dedups).
    func pollOnce() async throws {
        let cursor = try journal.cursor(backend: backend.name)
        let poll = try await backend.poll(after: cursor)
        let recorded = try intake.take(poll.threads, backend: backend, metrics: metrics, logger: logger)
        if let next = poll.cursor, next != cursor { try journal.saveCursor(next, backend: backend.name) }
        await health.succeeded(backend.name)
        if recorded > 0 { await signal.notify() }
    }
}
