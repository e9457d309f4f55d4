import Foundation
import Testing
import TestSupport
import TraceFormats

/// What the loader does with files that are not good text traces.
@Suite struct LoaderRobustnessTests {
    @Test func emptyFileIsEmpty() throws {
        let dir = try TestTraces.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("empty.txt").path
        FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: TraceError.empty(path: path)) { try TraceLoader.load(path: path) }
    }

    @Test func whitespaceOnlyIsEmpty() {
        #expect(throws: TraceError.empty(path: "test")) { try readText(" \r\n\n\t\n") }
    }

    @Test func missingFileIsUnreadable() {
        #expect {
            try TraceLoader.load(path: "/nonexistent/trace.txt")
        } throws: { error in
            guard case .unreadable(let path, let reason) = error as? TraceError else { return false }
            return path == "/nonexistent/trace.txt" && reason.contains("no such file")
        }
    }

    @Test func directoryIsUnreadable() {
        #expect {
            try TraceLoader.load(path: FileManager.default.temporaryDirectory.path)
        } throws: { error in
            guard case .unreadable(_, let reason) = error as? TraceError else { return false }
            return reason.contains("not a regular file")
        }
    }

    /// Seeded: now and then, unseeded random bytes pass for the first
    /// records of an ERF capture (whose header has no magic number) and
    /// are rightly named as one, which is another test's business.
    @Test(arguments: 0..<16 as Range<UInt64>)
    func randomBytesWithNULsAreBinary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[0] = 0x01; bytes[10] = 0; bytes[100] = 0
        #expect {
            try TraceLoader.read(bytes: bytes, name: "junk.bin", format: nil)
        } throws: { error in
            guard case .binary(let path, let detail) = error as? TraceError else { return false }
            return path == "junk.bin" && detail.contains("NUL")
        }
    }

    @Test func pcapHeaderFollowedByTextIsADamagedCaptureNotAText() {
        // Little-endian pcap global header, then an INVITE as if someone
        // hoped the text inside would do: the magic number sends it to the
        // capture reader, whose error names the file, the byte and the frame.
        let header: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00, 0x04, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 1, 0, 0, 0]
        let bytes = header + Array(TestTraces.invite().utf8)
        #expect {
            try TraceLoader.read(bytes: bytes, name: "call.pcap", format: nil)
        } throws: { error in
            guard case .capture(.damaged(let path, let frame, let offset, _)) = error as? TraceError else { return false }
            return path == "call.pcap" && frame == 1 && offset == 24
                && "\(error)".hasPrefix("call.pcap is damaged at byte 24, in frame 1")
        }
    }

    @Test func pcapngWithABrokenSectionHeaderIsNamed() {
        let bytes: [UInt8] = [0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A] + Array(repeating: 0, count: 64)
        #expect {
            try TraceLoader.read(bytes: bytes, name: "call.pcapng", format: nil)
        } throws: { error in
            guard case .capture(let capture) = error as? TraceError else { return false }
            return capture.description.contains("call.pcapng") && capture.description.contains("section header block")
        }
    }

    @Test func netMonCaptureIsRefusedByName() {
        let bytes: [UInt8] = Array("GMBU".utf8) + [0x00, 0x02] + Array(repeating: 0, count: 200)
        #expect {
            try TraceLoader.read(bytes: bytes, name: "trace.cap", format: nil)
        } throws: { error in
            guard case .capture(.foreign("trace.cap", .networkMonitor)) = error as? TraceError else { return false }
            return "\(error)".contains("Network Monitor")
        }
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let t = try TraceLoader.read(bytes: [0xEF, 0xBB, 0xBF] + Array(TestTraces.invite().utf8), name: "bom.txt", format: nil)
        #expect(t.messages.count == 1)
        #expect(t.messages[0].line == 1)
    }

    @Test func utf16TextIsNamed() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array(TestTraces.invite().utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect {
            try TraceLoader.read(bytes: bytes, name: "notepad.txt", format: nil)
        } throws: { error in
            guard case .binary(_, let detail) = error as? TraceError else { return false }
            return detail.contains("UTF-16")
        }
    }

    @Test func proseIsUnrecognised() {
        #expect(throws: TraceError.unrecognised(path: "test")) {
            try readText("Hi team,\nthe call to the carrier failed again at 02:13.\nThanks\n")
        }
    }

    @Test func forcedFormatIsUsed() throws {
        let text = "[14:22:01.103] PHONE -> CORE\n" + TestTraces.invite()
        let t = try readText(text, format: .rawSIP)
        #expect(t.format == .rawSIP)
        #expect(t.messages.count == 1)
        #expect(t.messages[0].sourceLabel == nil)
        #expect(t.warnings.contains { $0.contains("line 1") })
    }

    @Test func fileOverTheLimitIsRefusedBeforeReading() throws {
        let dir = try TestTraces.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("huge.txt").path
        FileManager.default.createFile(atPath: path, contents: Data(TestTraces.invite().utf8))
        // Sparse: a size past the limit without writing a gigabyte.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(TraceLoader.maxTextBytes) + 1)
        try handle.close()
        #expect(throws: TraceError.tooLarge(path: path, bytes: TraceLoader.maxTextBytes + 1, limit: TraceLoader.maxTextBytes)) {
            try TraceLoader.load(path: path)
        }
    }

    @Test func sizeLimitIsInTheError() {
        let e = TraceError.tooLarge(path: "huge.txt", bytes: 2 << 30, limit: TraceLoader.maxTextBytes)
        #expect(TraceLoader.maxTextBytes == 1 << 30)
        #expect(e.description.contains("limit for text traces"))
    }
}
