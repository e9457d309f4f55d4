/// Spends a `ZendeskBackend.RequestBudget`: `take()` returns at once while
/// fewer than `count` requests went out in the last `window`, else sleeps
/// (as a task) until the oldest leaves the window. Zendesk answers the
/// eleventh export request of a minute with 429; waiting here costs the
/// same time without the refusal (and without the account's other API
/// users seeing the limit hit). One per back-end: two back-ends on the
/// same account each keep their own count (docs/zendesk.md).
///
/// A request counts from when it was answered (`settle`), not from when
/// it was sent: Zendesk counts it when it arrives, somewhere in between,
/// and counting from the later end keeps a request that was slow to
/// arrive from landing in a window Zendesk still considers full.
actor ZendeskRequestLimiter {
    let budget: ZendeskBackend.RequestBudget
    private var slots: [(id: UInt64, at: ContinuousClock.Instant)] = []
    private var nextID: UInt64 = 0
    private let clock = ContinuousClock()

    init(_ budget: ZendeskBackend.RequestBudget) {
        self.budget = budget
    }

    /// Waits for a slot and spends it; throws only on cancellation.
    func take() async throws -> UInt64 {
        while true {
            let now = clock.now
            slots.removeAll { now - $0.at >= budget.window }
            if slots.count < budget.count {
                nextID += 1
                slots.append((nextID, now))
                return nextID
            }
            // Another caller may take the freed slot first: look again after.
            let oldest = slots.map(\.at).min() ?? now
            try await Task.sleep(until: oldest + budget.window, clock: clock)
        }
    }

    /// The request of slot `id` is answered (or failed): its window starts now.
    func settle(_ id: UInt64) {
        guard let index = slots.firstIndex(where: { $0.id == id }) else { return }
        slots[index].at = clock.now
    }
}
