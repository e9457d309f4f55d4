extension CallContext {
    /// The platform log lines written while the first failure's
    /// transaction was handled: after its request was read (or the first
    /// failure itself, for a request never answered) and before the
    /// call's next message after the failure, in reading order.
    public var platformLogNearFailure: [TiedLogLine] {
        guard let f = firstFailure, !call.platformLog.isEmpty else { return [] }
        let low = ref(failedRequest ?? f.position)
        let high = max(low, ref(f.position))
        let next = messages.map(\.index).filter { $0 > high }.min() ?? Int.max
        return call.platformLog.filter { $0.line.afterMessage >= low && $0.line.afterMessage < next }
    }
}
