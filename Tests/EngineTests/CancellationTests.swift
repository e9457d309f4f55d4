import Engine
import Foundation
import Testing
import TestSupport
import TraceFormats
import TraceSynthesis

/// A read in a cancelled task stops within milliseconds with `.cancelled`,
/// for a capture (checked every few thousand frames) and a text trace
/// (every thousand messages). A read that ignored the cancel would return
/// a trace instead of the error: each input takes many times the delay
/// before the cancel to read whole, which the test checks first.
///
/// The cancel comes from a thread of its own, timed from the moment the
/// read began: Swift's task pool has a thread per core, and while other
/// suites keep them busy a sleeping task may wake long after the read it
/// meant to interrupt has finished.
@Suite(.serialized) struct CancellationTests {
    /// When the read began and ended, and when the cancel was sent.
    final class ReadMarks: @unchecked Sendable {
        private let lock = NSLock()
        private var marks: [String: ContinuousClock.Instant] = [:]
        func mark(_ name: String) { lock.withLock { marks[name] = .now } }
        func at(_ name: String) -> ContinuousClock.Instant? { lock.withLock { marks[name] } }
        func seconds(from a: String, to b: String) -> Double? {
            guard let x = at(a), let y = at(b) else { return nil }
            let d = x.duration(to: y).components
            return Double(d.seconds) + Double(d.attoseconds) / 1e18
        }
    }

    /// A stop takes milliseconds on a quiet machine; the bound leaves room
    /// for a machine shared by many builds.
    static let bound = 2.0
    /// How long the read runs before it is cancelled.
    static let delay = 0.05

    /// The time a whole read takes (a single pass: no Call-ID).
    static func fullRead(_ source: TraceSource, loader: CallTraceLoader) async throws -> Double {
        let marks = ReadMarks()
        _ = try await Task.detached {
            marks.mark("start")
            defer { marks.mark("end") }
            return try loader.read(source)
        }.value
        return marks.seconds(from: "start", to: "end") ?? 0
    }

    /// Reads, cancelling `delay` after the read began; returns the error
    /// (nil when the read ran to its end) and the time from cancel to return.
    static func cancelMidRead(_ source: TraceSource, loader: CallTraceLoader = CallTraceLoader()) async -> (afterCancel: Double?, error: CallTraceError?) {
        let marks = ReadMarks()
        // Without a Call-ID the read is a single pass: only the checks
        // inside the reading loops can stop it.
        let task = Task.detached {
            marks.mark("start")
            defer { marks.mark("end") }
            return try loader.read(source)
        }
        let canceller = Thread {
            while marks.at("start") == nil { usleep(1_000) }
            usleep(useconds_t(delay * 1e6))
            marks.mark("cancel")
            task.cancel()
        }
        canceller.start()
        let result = await task.result
        let afterCancel = marks.seconds(from: "cancel", to: "end")
        guard case .failure(let error) = result else { return (afterCancel, nil) }
        return (afterCancel, error as? CallTraceError)
    }

    @Test func aCaptureReadStopsSoonAfterItsTaskIsCancelled() async throws {
        let scratch = try Scratch()
        let path = scratch.path("big.pcap")
        let summary = try BenchCapture(targetBytes: 120 << 20, callSeconds: 20, concurrentCalls: 40).write(to: path)
        let loader = CallTraceLoader()
        let full = try await Self.fullRead(.file(path: path), loader: loader)
        try #require(full > 4 * Self.delay, "the \(summary.bytes)-byte capture reads whole in \(full) s: too fast to be cancelled midway")
        let r = await Self.cancelMidRead(.file(path: path), loader: loader)
        #expect(r.error == .cancelled(path: path), "read \(summary.bytes) bytes in \(full) s whole; after cancel \(r.afterCancel ?? -1) s")
        #expect((r.afterCancel ?? .infinity) < Self.bound, "stopped \(r.afterCancel ?? -1) s after the cancel")
    }

    @Test func aTextReadStopsSoonAfterItsTaskIsCancelled() async throws {
        let call = try String(contentsOfFile: EngineFixtures.path("Fixtures/traces/field-guide/one-way-audio.txt"), encoding: .utf8)
        var text = ""
        for i in 0..<6_000 { text += call.replacingOccurrences(of: "7c2d9e4f-ow-1010", with: "7c2d9e4f-ow-\(i)") + "\n" }
        let bytes = Array(text.utf8)
        let loader = CallTraceLoader()
        let full = try await Self.fullRead(.bytes(bytes, name: "day.log"), loader: loader)
        try #require(full > 4 * Self.delay, "the \(bytes.count)-byte text reads whole in \(full) s: too fast to be cancelled midway")
        let r = await Self.cancelMidRead(.bytes(bytes, name: "day.log"), loader: loader)
        #expect(r.error == .cancelled(path: "day.log"), "read \(bytes.count) bytes in \(full) s whole; after cancel \(r.afterCancel ?? -1) s")
        #expect((r.afterCancel ?? .infinity) < Self.bound, "stopped \(r.afterCancel ?? -1) s after the cancel")
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
