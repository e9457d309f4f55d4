/// Spends a `ZendeskBackend.RequestBudget`: `take()` returns at once while
/// fewer than `count` requests went out in the last `window`, else sleeps
/// (as a task) until the oldest leaves the window. Zendesk answers the
/// eleventh export request of a minute with 429; waiting here costs the
/// same time without the refusal (and without the account's other API
/// users seeing the limit hit). One per back-end: two back-ends on the
/// same account each keep their own count (docs/zendesk.md).
actor ZendeskRequestLimiter {
    let budget: ZendeskBackend.RequestBudget
    private var sent: [ContinuousClock.Instant] = []
    private let clock = ContinuousClock()

    init(_ budget: ZendeskBackend.RequestBudget) {
        self.budget = budget
    }

    /// Waits for a slot and spends it; throws only on cancellation.
    func take() async throws {
        while true {
            let now = clock.now
            sent.removeAll { now - $0 >= budget.window }
            if sent.count < budget.count {
                sent.append(now)
                return
            }
            // Another caller may take the freed slot first: look again after.
            try await Task.sleep(until: sent[0] + budget.window, clock: clock)
        }
    }
}
