/// How long a failed ledger item waits before it is due again, and how
/// many claims it gets: exponential back-off from `firstDelay`, doubled
/// per attempt up to `maxDelay`.
public struct RetryPolicy: Sendable, Equatable {
    public var firstDelay: Double
    public var maxDelay: Double
    public var maxAttempts: Int

    public init(firstDelay: Double = 30, maxDelay: Double = 3600, maxAttempts: Int = 8) {
        self.firstDelay = max(0, firstDelay)
        self.maxDelay = max(self.firstDelay, maxDelay)
        self.maxAttempts = max(1, maxAttempts)
    }

    /// Seconds to wait after the `attempt`th attempt (1-based) failed.
    public func delay(afterAttempt attempt: Int) -> Double {
        let doublings = min(max(attempt - 1, 0), 60) // 2^60 s is past any cap
        return min(maxDelay, firstDelay * Double(1 << doublings))
    }
}
