/// Slack's rate limits are per method (chat.postMessage's tier is not
/// conversations.replies'), so a 429 on one method holds back that method
/// only: the next call of it waits until the `Retry-After` is over, while
/// the others go on. Shared by every call of one back-end.
actor SlackRateGate {
    private var notBefore: [String: ContinuousClock.Instant] = [:]

    /// Holds `method` back for `wait` (a later hold never shortens one).
    func hold(_ method: String, for wait: Duration) {
        let until = ContinuousClock.now + wait
        if let held = notBefore[method], held >= until { return }
        notBefore[method] = until
    }

    /// How long a call of `method` must still wait, nil when it may go.
    func delay(for method: String) -> Duration? {
        guard let until = notBefore[method] else { return nil }
        let left = until - ContinuousClock.now
        if left <= .zero {
            notBefore[method] = nil
            return nil
        }
        return left
    }
}
