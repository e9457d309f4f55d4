/// Wakes the work loop when a poller recorded something new, so that a
/// ticket is worked on at once rather than at the next tick; the tick
/// still comes (retries and run-out leases need no poller).
actor WorkSignal {
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation = 0

    func notify() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Returns at the next `notify` (or at once if one came since the last
    /// wait), or after `limit`.
    func wait(upTo limit: Duration) async {
        if pending {
            pending = false
            return
        }
        generation += 1
        let mine = generation
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            waiter = continuation
            Task {
                try? await Task.sleep(for: limit)
                self.timeOut(mine)
            }
        }
    }

    private func timeOut(_ which: Int) {
        guard which == generation, let waiter else { return }
        self.waiter = nil
        waiter.resume()
    }
}

/// Set once, by SIGTERM (or the end of a `--once` run): stop taking work.
actor StopFlag {
    private(set) var isSet = false
    func set() { isSet = true }
}
