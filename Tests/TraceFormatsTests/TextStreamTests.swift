import Foundation
import Testing
@testable import TraceFormats

/// A text trace is read with read(2), a raw SIP one chunk by chunk: the
/// same messages, numbers, lines and warnings as a whole read, memory
/// bounded by what is kept, and no crash when the file shrinks under us.
@Suite struct TextStreamTests {
    /// About `megabytes` MB of raw SIP: a stray line first, calls of an
    /// INVITE (with SDP) and a 486, LF-only every third call, a narrative
    /// line now and then; every 7th call's 486 carries an `i:` Call-ID.
    static func rawTrace(megabytes: Int) -> [UInt8] {
        var out = Array("pasted from the SBC console\n\n".utf8)
        var n = 0
        while out.count < megabytes << 20 {
            let id = "stream-\(n)@10.0.0.\(n % 250)"
            let eol = n % 3 == 0 ? "\n" : "\r\n"
            out += Array(TestTraces.invite(callID: id, eol: eol).utf8)
            if n % 11 == 0 { out += Array("(no answer for 2 seconds)\n".utf8) }
            var busy = TestTraces.response("486 Busy Here", callID: id, eol: eol)
            if n % 7 == 0 { busy = busy.replacingOccurrences(of: "Call-ID: ", with: "i: ") }
            out += Array((busy + eol).utf8)
            n += 1
        }
        return out
    }

    static func write(_ bytes: [UInt8], in dir: URL, _ name: String = "big.txt") throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aRawTraceReadInChunksEqualsTheWholeRead() throws {
        let dir = try TestTraces.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = Self.rawTrace(megabytes: 9)
        #expect(bytes.count > 2 * RawSIPStream.chunkBytes)
        let streamed = try TraceLoader.load(path: try Self.write(bytes, in: dir))
        let whole = try TraceLoader.read(bytes: bytes, name: "whole")
        #expect(streamed.messages.count == whole.messages.count)
        #expect(streamed.messages.map(\.index) == whole.messages.map(\.index))
        #expect(streamed.messages.map(\.line) == whole.messages.map(\.line))
        #expect(streamed.messages.map(\.message) == whole.messages.map(\.message))
        #expect(streamed.warnings == whole.warnings)
        #expect(streamed.warnings.contains { $0.contains("outside any SIP message") })
    }

    @Test func aFilteredReadKeepsTheCallWithTheWholeTracesNumbers() throws {
        let dir = try TestTraces.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = Self.rawTrace(megabytes: 6)
        let path = try Self.write(bytes, in: dir)
        let whole = try TraceLoader.read(bytes: bytes, name: "whole")
        // Call 700's 486 has its Call-ID in the compact `i:` form.
        let id = "stream-700@10.0.0.200"
        let one = try TraceLoader.load(path: path, capture: .init(callIDs: [id]))
        #expect(one.messages.count == 2)
        for m in one.messages {
            #expect(m.message.callID == id)
            #expect(whole.messages[m.index - 1].message == m.message)
            #expect(whole.messages[m.index - 1].line == m.line)
        }
        var others: [String] = []
        for m in whole.messages { if let c = m.message.callID, c != id, others.last != c { others.append(c) } }
        #expect(one.skippedCallIDs == others)
        // Not listing the other Call-IDs keeps the same messages, numbers
        // and lines; asked for a call that is not there, it keeps nothing
        // and lists nothing, and says no more (the caller reads again).
        let unlisted = try TraceLoader.load(path: path, capture: .init(callIDs: [id], listsSkippedCallIDs: false))
        #expect(unlisted.messages == one.messages)
        #expect(unlisted.warnings == one.warnings)
        #expect(unlisted.skippedCallIDs.isEmpty)
        let absent = try TraceLoader.load(path: path, capture: .init(callIDs: ["nobody@nowhere"], listsSkippedCallIDs: false))
        #expect(absent.messages.isEmpty && absent.skippedCallIDs.isEmpty)
        // A Call-ID that is a prefix of another (stream-7@... of stream-70@...) is
        // a candidate by its bytes, kept only as far as the filter's rules say.
        let short = try TraceLoader.load(path: path, capture: .init(callIDs: ["stream-7@10.0.0.7"]))
        #expect(Set(short.messages.compactMap(\.message.callID)) == ["stream-7@10.0.0.7"])
    }

    /// Every text fixture, read for a Call-ID it does not hold: nothing is
    /// kept, and the Call-IDs listed (from the header scan) are those the
    /// parser finds, in order.
    @Test func skippedCallIDsOfEveryFixtureAreTheParsers() throws {
        let root = FixturePath.packageRoot.appendingPathComponent("Fixtures/traces")
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".txt") || $0.hasSuffix(".log") }
        #expect(files.count > 50)
        var compared = 0
        for file in files.sorted() {
            let path = root.appendingPathComponent(file).path
            guard let whole = try? TraceLoader.load(path: path), whole.format != .homerJSON else { continue }
            let none = try TraceLoader.load(path: path, capture: .init(callIDs: ["no-such-call@nowhere.invalid"]))
            var ids: [String] = []
            for m in whole.messages { if let c = m.message.callID, !ids.contains(c) { ids.append(c) } }
            #expect(none.messages.isEmpty, "\(file)")
            #expect(none.skippedCallIDs == ids, "\(file)")
            #expect(none.warnings == whole.warnings, "\(file)")
            compared += 1
        }
        #expect(compared > 50)
    }

    @Test func aFileThatShrinksAfterOpeningGivesTheBytesStillThere() throws {
        let dir = try TestTraces.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.write(Self.rawTrace(megabytes: 2), in: dir)
        let file = try TextFile(path: path, limit: TraceLoader.maxTextBytes)
        #expect(file.size > 2 << 20)
        #expect(truncate(path, 300_000) == 0)
        var bytes: [UInt8] = []
        try file.readAll(into: &bytes)
        #expect(bytes.count == 300_000)
        #expect(file.atEnd)
    }

    /// An export still being written, or rotated, while it is read: the
    /// read ends where the file now ends (a shorter trace) or says why it
    /// could not read it; a mapped file would have died of SIGBUS.
    @Test func aTraceTruncatedWhileReadNeverCrashes() throws {
        let dir = try TestTraces.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = Self.rawTrace(megabytes: 6)
        let full = try TraceLoader.read(bytes: bytes, name: "whole").messages.count
        for round in 0..<2 {
            let path = try Self.write(bytes, in: dir, "cut-\(round).txt")
            let cutter = Thread {
                usleep(UInt32(2_000 * round))
                _ = truncate(path, off_t(bytes.count / (round + 2)))
            }
            cutter.start()
            do {
                let t = try TraceLoader.load(path: path)
                #expect(t.messages.count <= full)
            } catch {
                #expect(!error.description.isEmpty)
            }
            while !cutter.isFinished { usleep(1_000) }
        }
    }
}
