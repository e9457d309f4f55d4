import Engine
import Foundation
import Testing
import TestSupport
import TraceFormats

/// Every way a trace can fail to load comes out as a case a program can
/// branch on, with the reader's words (what was wrong, what to do) kept.
@Suite struct CallTraceErrorTests {
    static func error(_ source: TraceSource, callID: String? = nil, format: TraceFormat? = nil,
                      limits: TraceLimits = TraceLimits()) async -> CallTraceError? {
        do {
            _ = try await CallTraceLoader(format: format, limits: limits).load(source, callID: callID)
            return nil
        } catch {
            return error
        }
    }

    static let pcapHeader: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00, 0x04, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 1, 0, 0, 0]

    @Test func aMissingFileCannotBeOpened() async {
        let e = await Self.error(.file(path: "/nonexistent/trace.txt"))
        guard case .unreadable("/nonexistent/trace.txt", .cannotOpen, let message)? = e else { Issue.record("\(String(describing: e))"); return }
        #expect(message.contains("no such file"))
    }

    @Test func emptyTextAndAnEmptyCaptureAreEmpty() async throws {
        let scratch = try Scratch()
        let e1 = await Self.error(.file(path: try scratch.write("empty.txt", [])))
        guard case .unreadable(_, .empty, _)? = e1 else { Issue.record("\(String(describing: e1))"); return }
        let e2 = await Self.error(.bytes([], name: "nothing"))
        guard case .unreadable("nothing", .empty, _)? = e2 else { Issue.record("\(String(describing: e2))"); return }
    }

    @Test func binaryDataIsBinary() async {
        let junk: [UInt8] = [0x01, 0x00, 0x7F, 0x00] + [UInt8](repeating: 0, count: 100)
        let e = await Self.error(.bytes(junk, name: "junk.bin"))
        guard case .unreadable("junk.bin", .binary, let message)? = e else { Issue.record("\(String(describing: e))"); return }
        #expect(message.contains("pass a text export or a pcap/pcapng capture"))
    }

    @Test func aCaptureCutInsideItsHeaderIsTruncated() async {
        let e = await Self.error(.bytes(Array(Self.pcapHeader.prefix(10)), name: "cut.pcap"))
        guard case .unreadable("cut.pcap", .truncated, let message)? = e else { Issue.record("\(String(describing: e))"); return }
        #expect(message.contains("capture again"))
    }

    @Test func aCaptureWhoseFirstFrameIsBrokenIsDamaged() async {
        let e = await Self.error(.bytes(Self.pcapHeader + Array("INVITE sip:x SIP/2.0\r\n\r\n".utf8), name: "call.pcap"))
        guard case .unreadable("call.pcap", .damaged, let message)? = e else { Issue.record("\(String(describing: e))"); return }
        #expect(message.hasPrefix("call.pcap is damaged at byte 24, in frame 1"))
    }

    @Test func foreignCapturesAndArchivesAreNamed() async {
        let netmon = Array("GMBU".utf8) + [0x00, 0x02] + [UInt8](repeating: 0, count: 200)
        let e1 = await Self.error(.bytes(netmon, name: "trace.cap"))
        #expect(e1 == .unsupportedFormat(path: "trace.cap", format: .networkMonitor, message: CaptureError.foreign(path: "trace.cap", .networkMonitor).description))
        let snoop = Array("snoop".utf8) + [0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 4] + [UInt8](repeating: 0, count: 64)
        let e2 = await Self.error(.bytes(snoop, name: "sol.snoop"))
        guard case .unsupportedFormat("sol.snoop", .snoop?, _)? = e2 else { Issue.record("\(String(describing: e2))"); return }
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0, count: 64)
        let e3 = await Self.error(.bytes(gzip, name: "trace.pcap.gz"))
        guard case .unsupportedFormat(_, .compressed(.gzip)?, let message)? = e3 else { Issue.record("\(String(describing: e3))"); return }
        #expect(message.contains("gunzip -k trace.pcap.gz"))
    }

    @Test func proseHoldsNoSIP() async {
        let e = await Self.error(.bytes(Array("Hi team,\nthe call failed again at 02:13.\nThanks\n".utf8), name: "mail"))
        guard case .unreadable("mail", .noSIP, let message)? = e else { Issue.record("\(String(describing: e))"); return }
        #expect(message.contains("--input-format"))
    }

    @Test func textOverTheCallersLimitIsTooLargeWithTheLimit() async throws {
        let text = try String(contentsOfFile: EngineFixtures.path("Fixtures/traces/busy-or-declined/catch.txt"), encoding: .utf8)
        let limits = TraceLimits(maxTextBytes: 100)
        let e = await Self.error(.bytes(Array(text.utf8), name: "ticket"), limits: limits)
        #expect(e == .tooLarge(path: "ticket", bytes: text.utf8.count, limit: 100,
                               message: TraceError.tooLarge(path: "ticket", bytes: text.utf8.count, limit: 100).description))
        let scratch = try Scratch()
        let path = try scratch.write("ticket.txt", Array(text.utf8))
        let fromFile = await Self.error(.file(path: path), limits: limits)
        guard case .tooLarge(path, text.utf8.count, 100, _)? = fromFile else { Issue.record("\(String(describing: fromFile))"); return }
        // Under the default limit the same text reads.
        #expect(await Self.error(.file(path: path)) == nil)
    }

    @Test func aCaptureOverTheCallersLimitIsTooLargeWithTheLimit() async throws {
        let bytes = try EngineFixtures.capture("healthy.capture")
        let scratch = try Scratch()
        let path = try scratch.write("healthy.pcap", bytes)
        for source in [TraceSource.file(path: path), .bytes(bytes, name: path)] {
            let e = await Self.error(source, limits: TraceLimits(maxCaptureBytes: 1000))
            guard case .tooLarge(path, bytes.count, 1000, let message)? = e else { Issue.record("\(String(describing: e))"); continue }
            #expect(message.contains("over the 1000-byte limit"))
        }
        #expect(await Self.error(.file(path: path), limits: TraceLimits(maxCaptureBytes: bytes.count)) == nil)
    }

    /// A pipe has no size up front: it is stopped once it has sent more
    /// than the limit.
    @Test func aCaptureFromAPipeOverTheLimitIsTooLarge() async throws {
        let bytes = try EngineFixtures.capture("healthy.capture")
        let scratch = try Scratch()
        let fifo = scratch.path("capture.fifo")
        try #require(mkfifo(fifo, 0o600) == 0)
        // The reader closes the pipe early, as `head` does: the writer
        // must get EPIPE, not kill the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let writer = Thread {
            // Opening blocks until the reader opens the other end.
            let handle = FileHandle(forWritingAtPath: fifo)
            try? handle?.write(contentsOf: Data(bytes))
            try? handle?.close()
        }
        writer.start()
        // Forced as a capture: sniffing would consume the pipe's head.
        let e = await Self.error(.file(path: fifo), format: .pcap, limits: TraceLimits(maxCaptureBytes: 1000))
        guard case .tooLarge(fifo, let read, 1000, _)? = e else { Issue.record("\(String(describing: e))"); return }
        #expect(read > 1000)
    }

    @Test func anUnknownCallIDIsNotFoundAndSaysWhatIsThere() {
        let e = CallTraceError.notFound(callID: "missing@x", available: ["a@1", "b@2"])
        #expect(e.description.hasPrefix("Call-ID missing@x is not in the trace; it holds 2 Call-ID(s):\n  a@1\n  b@2"))
    }
}
