import Foundation
import Integrations

extension AgentService {
    /// How long a pushed delivery's id is remembered: vendors retry
    /// within minutes (Slack: up to about five), so a day is ample.
    static let deliveryMemory: Double = 86_400

    /// The back-ends the vendor pushes to, for the listener's routes.
    public var inboundBackends: [any InboundBackend] {
        backends.compactMap { $0 as? any InboundBackend }
    }

    /// Takes in what a pushed back-end delivered: its threads become work
    /// as a poll's do, then the delivery's id is kept. Returns false for a
    /// delivery taken in before (a vendor's retry), which is answered and
    /// not worked again. Throws when the store cannot record it; the
    /// listener then answers 503 so that the vendor delivers it again.
    @discardableResult
    public func accept(_ delivery: InboundDelivery, from backend: any InboundBackend) async throws -> Bool {
        if let id = delivery.id, try journal.hasDelivery(id, backend: backend.name) { return false }
        // Threads first: a crash before the id is kept leaves the retry to
        // redo an intake that dedups by Call-ID, rather than drop it.
        let recorded = try intake.take(delivery.threads, backend: backend, metrics: metrics, logger: logger)
        if let id = delivery.id {
            _ = try journal.recordDelivery(id, backend: backend.name, forgetAfter: Self.deliveryMemory)
        }
        await health.succeeded(backend.name)
        if recorded > 0 { await signal.notify() }
        return true
    }
}
