import Foundation

/// Where a webhook request, held open, meets the agent's post for it.
///
/// Mattermost waits for the webhook's answer (up to its
/// `OutgoingIntegrationRequestsTimeout`, 30 s by default) and posts the
/// answer's `text` as a thread reply. The diagnosis runs in the agent's
/// work loop, not in the request: so `receive` says a reply is expected
/// for the thread, the listener records the delivery, then waits here
/// (at most until the deadline) while the worker's `post` hands its text
/// over. Whichever comes first wins, under the actor: a hand-over after
/// the deadline is refused (the worker posts through the REST API), and
/// a deadline after the hand-over changes nothing.
actor MattermostRendezvous {
    private enum State {
        /// Expected; nobody waits yet (the delivery is being recorded).
        case expected(deadline: Date)
        /// The listener waits for it.
        case waiting(deadline: Date, CheckedContinuation<String?, Never>)
        /// Handed over before the listener began to wait.
        case ready(String, deadline: Date)
    }

    private var slots: [String: State] = [:]
    /// Replies handed over whose answer is being written: the worker
    /// waits here to learn whether it went out.
    private var writing: [String: CheckedContinuation<Bool, Never>] = [:]
    /// Outcomes of writes that came before the worker asked.
    private var written: [String: Bool] = [:]
    /// Threads whose reply was handed over, until their write is known.
    private var handed: Set<String> = []

    /// A reply for `thread` may come until `deadline`.
    func expect(_ thread: String, until deadline: Date) {
        pruneExpired(now: Date())
        if case .waiting(_, let continuation) = slots[thread] { continuation.resume(returning: nil) }
        slots[thread] = .expected(deadline: deadline)
    }

    /// Forgets `thread` (its delivery was a repeat, or was not recorded).
    func cancel(_ thread: String) {
        if case .waiting(_, let continuation) = slots.removeValue(forKey: thread) {
            continuation.resume(returning: nil)
        }
    }

    /// The text handed over for `thread`, or nil at the deadline (or when
    /// nothing was expected).
    func wait(for thread: String) async -> String? {
        switch slots[thread] {
        case .ready(let text, _)?:
            slots[thread] = nil
            return text
        case .expected(let deadline)?:
            let seconds = deadline.timeIntervalSinceNow
            guard seconds > 0 else {
                slots[thread] = nil
                return nil
            }
            let timer = Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                await self?.expire(thread)
            }
            let text = await withCheckedContinuation { continuation in
                slots[thread] = .waiting(deadline: deadline, continuation)
            }
            timer.cancel()
            return text
        case .waiting?, nil:
            return nil
        }
    }

    /// Hands `text` to the webhook answer of `thread`; false when no
    /// answer is expected any more (the deadline passed, the agent
    /// restarted since the webhook came): post it another way.
    func handOver(_ thread: String, text: String) -> Bool {
        switch slots[thread] {
        case .expected(let deadline)? where deadline > Date():
            slots[thread] = .ready(text, deadline: deadline)
            handed.insert(thread)
            return true
        case .waiting(let deadline, let continuation)? where deadline > Date():
            slots[thread] = nil
            handed.insert(thread)
            continuation.resume(returning: text)
            return true
        default:
            return false
        }
    }

    /// The listener wrote the answer carrying `thread`'s reply (or could
    /// not: the connection was gone).
    func answerWritten(_ thread: String, _ ok: Bool) {
        if let waiter = writing.removeValue(forKey: thread) {
            handed.remove(thread)
            waiter.resume(returning: ok)
        } else if handed.remove(thread) != nil {
            written[thread] = ok
        }
    }

    /// After `handOver`: whether the answer carrying the reply was written
    /// out to Mattermost, waiting at most `seconds`. False when it failed
    /// or nothing was heard in time (the request was dropped): the reply
    /// may not exist, so it must not be counted as posted.
    func wasWritten(_ thread: String, within seconds: Double) async -> Bool {
        if let ok = written.removeValue(forKey: thread) { return ok }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            await self?.answerWritten(thread, false)
        }
        let ok = await withCheckedContinuation { continuation in writing[thread] = continuation }
        timer.cancel()
        return ok
    }

    /// Whether an answer is still expected for `thread`.
    func isExpected(_ thread: String) -> Bool {
        switch slots[thread] {
        case .expected(let deadline)?, .waiting(let deadline, _)?: return deadline > Date()
        default: return false
        }
    }

    private func expire(_ thread: String) {
        if case .waiting(_, let continuation) = slots[thread] {
            slots[thread] = nil
            continuation.resume(returning: nil)
        }
    }

    /// Slots whose listener never came to wait (its request failed
    /// between `receive` and the answer).
    private func pruneExpired(now: Date) {
        let grace: TimeInterval = 60
        slots = slots.filter { _, state in
            switch state {
            case .expected(let deadline), .ready(_, let deadline): return deadline.addingTimeInterval(grace) > now
            case .waiting: return true
            }
        }
    }
}
