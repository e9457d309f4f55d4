import Engine
import Foundation
import Testing
import TestSupport
import TraceFormats
import TraceSynthesis

/// A read in a cancelled task stops within milliseconds with `.cancelled`,
/// for a capture (checked every few thousand frames) and a text trace
/// (every thousand messages). Each test first times the read uncancelled:
/// a read that ignored the cancel would run on about that long, and return
/// a trace instead of the error.
@Suite(.serialized) struct CancellationTests {
    static func elapsed(since start: ContinuousClock.Instant) -> Double {
        let d = start.duration(to: .now).components
        return Double(d.seconds) + Double(d.attoseconds) / 1e18
    }

    /// A stop takes milliseconds on a quiet machine; the bound leaves room
    /// for a machine shared by many builds, and the test also asks for a
    /// small part of the full read, which a read that ran on would exceed.
    static let bound = 2.0

    /// Reads uncancelled, then again cancelling a quarter of the way
    /// through; returns the full time and the time from cancel to return.
    static func cancelMidRead(_ source: TraceSource, loader: CallTraceLoader = CallTraceLoader()) async throws -> (full: Double, afterCancel: Double, error: CallTraceError?) {
        let start = ContinuousClock.now
        _ = try await loader.load(source)
        let full = elapsed(since: start)
        // Without a Call-ID the read is a single pass: only the checks
        // inside the reading loops can stop it.
        let task = Task { try await loader.load(source) }
        try await Task.sleep(for: .milliseconds(Int(full * 250)))
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.result
        let afterCancel = elapsed(since: cancelled)
        guard case .failure(let error) = result else { return (full, afterCancel, nil) }
        return (full, afterCancel, error as? CallTraceError)
    }

    @Test func aCaptureReadStopsSoonAfterItsTaskIsCancelled() async throws {
        let scratch = try Scratch()
        let path = scratch.path("big.pcap")
        let summary = try BenchCapture(targetBytes: 120 << 20, callSeconds: 20, concurrentCalls: 40).write(to: path)
        let r = try await Self.cancelMidRead(.file(path: path))
        #expect(r.error == .cancelled(path: path), "read \(summary.bytes) bytes in \(r.full) s; after cancel \(r.afterCancel) s")
        #expect(r.afterCancel < Self.bound && r.afterCancel < r.full / 4, "full read \(r.full) s, stopped \(r.afterCancel) s after the cancel")
    }

    @Test func aTextReadStopsSoonAfterItsTaskIsCancelled() async throws {
        let call = try String(contentsOfFile: EngineFixtures.path("Fixtures/traces/field-guide/one-way-audio.txt"), encoding: .utf8)
        var text = ""
        for i in 0..<6_000 { text += call.replacingOccurrences(of: "7c2d9e4f-ow-1010", with: "7c2d9e4f-ow-\(i)") + "\n" }
        let bytes = Array(text.utf8)
        let r = try await Self.cancelMidRead(.bytes(bytes, name: "day.log"))
        #expect(r.error == .cancelled(path: "day.log"), "read \(bytes.count) bytes in \(r.full) s; after cancel \(r.afterCancel) s")
        #expect(r.afterCancel < Self.bound && r.afterCancel < r.full / 4, "full read \(r.full) s, stopped \(r.afterCancel) s after the cancel")
    }

    @Test func aCancelledTaskStartsNoRead() async throws {
        let path = EngineFixtures.path("Fixtures/traces/busy-or-declined/catch.txt")
        let task = Task {
            // Wait to be cancelled, then ask for the trace.
            while !Task.isCancelled { await Task.yield() }
            return try await CallTraceLoader().load(.file(path: path), callID: "3b4c5d6e-486@192.168.1.50")
        }
        task.cancel()
        await #expect(throws: CallTraceError.cancelled(path: path)) { _ = try await task.value }
    }
}
