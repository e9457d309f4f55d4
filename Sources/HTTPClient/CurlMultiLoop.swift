import CCurl
import Foundation

/// One thread driving one libcurl multi handle: every transfer of the
/// process in flight at once on non-blocking sockets, none holding a thread
/// while it waits (docs/http-client.md says why this over a pool). Tasks
/// hand transfers in and ask for cancellations through a locked queue and
/// `curl_multi_wakeup`, the one multi call libcurl allows from another
/// thread; everything else about the multi handle happens on this thread.
final class CurlMultiLoop: @unchecked Sendable {
    /// The process's loop, started on first use and never stopped.
    static let shared = CurlMultiLoop(name: "curl-multi")

    private let multi: UnsafeMutableRawPointer
    private let lock = NSCondition()
    // Under `lock`:
    private var incoming: [CurlTransfer] = []
    private var cancellations: [CurlTransfer] = []
    private var stopping = false
    private var inFlight = 0
    // The loop thread's own:
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(name: String) {
        // Thread-safe in this libcurl (7.84 and later); once per process is
        // what it needs, and later calls only count.
        curl_global_init(Int(CURL_GLOBAL_ALL))
        multi = curl_multi_init()
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Runs `transfer` to its end, or until the calling task is cancelled,
    /// which removes it from the multi handle and so closes its connection.
    func perform(_ transfer: CurlTransfer) async -> CurlTransfer.Outcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                lock.lock()
                transfer.continuation = continuation
                incoming.append(transfer)
                lock.signal()
                lock.unlock()
                curl_multi_wakeup(multi)
            }
        } onCancel: {
            lock.lock()
            transfer.cancelRequested = true
            cancellations.append(transfer)
            lock.signal()
            lock.unlock()
            curl_multi_wakeup(multi)
        }
    }

    /// Transfers handed in and not yet finished (for tests and metrics).
    var transfersInFlight: Int {
        lock.lock()
        defer { lock.unlock() }
        return inFlight + incoming.count
    }

    /// Ends the thread once nothing is in flight. Only for loops a test made.
    func stop() {
        lock.lock()
        stopping = true
        lock.signal()
        lock.unlock()
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            lock.lock()
            while incoming.isEmpty && cancellations.isEmpty && running.isEmpty && !stopping {
                lock.wait()  // idle: no polling, no wake-ups
            }
            if stopping && incoming.isEmpty && running.isEmpty {
                lock.unlock()
                break
            }
            let added = incoming.map { ($0, $0.cancelRequested) }
            let cancelled = cancellations
            incoming.removeAll()
            cancellations.removeAll()
            lock.unlock()

            for (transfer, cancelledAlready) in added {
                if cancelledAlready {
                    finish(transfer, .cancelled)
                } else if curl_multi_add_handle(multi, transfer.easy) == CURLM_OK {
                    running[transfer.easy] = transfer
                } else {
                    finish(transfer, .finished(CURLE_FAILED_INIT))
                }
            }
            for transfer in cancelled where running.removeValue(forKey: transfer.easy) != nil {
                curl_multi_remove_handle(multi, transfer.easy)
                finish(transfer, .cancelled)
            }

            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let transfer = running.removeValue(forKey: easy) else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                finish(transfer, .finished(code))
            }

            lock.lock()
            inFlight = running.count
            lock.unlock()
            if !running.isEmpty {
                // Sleeps until a socket is ready, a curl timer is due, a
                // wake-up arrives or a second passes.
                curl_multi_poll(multi, nil, 0, 1000, nil)
            }
        }
        curl_multi_cleanup(multi)
    }

    private func finish(_ transfer: CurlTransfer, _ outcome: CurlTransfer.Outcome) {
        lock.lock()
        let continuation = transfer.continuation
        transfer.continuation = nil
        inFlight = running.count
        lock.unlock()
        continuation?.resume(returning: outcome)
    }
}
