import Foundation
import Testing
import TraceFormats

/// Big inputs: read whole, in bounded time, without building lines as strings.
@Suite struct VolumeTests {
    /// The issue's 200 MB text file, written in 1 MB chunks. In a debug
    /// build this takes tens of seconds (the parser is unoptimised there);
    /// speed is the bench's business, this test checks it is read whole.
    @Test func twoHundredMegabyteRawTraceIsReadWhole() throws {
        let dir = try TestTraces.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.txt").path
        let unit = Array((TestTraces.invite() + "\r\n" + TestTraces.response("200 OK") + "\r\n").utf8)
        let perChunk = (1 << 20) / unit.count
        var chunk: [UInt8] = []
        chunk.reserveCapacity(perChunk * unit.count)
        for _ in 0..<perChunk { chunk.append(contentsOf: unit) }
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let chunks = 200
        for _ in 0..<chunks { handle.write(Data(chunk)) }
        try handle.close()

        let t = try TraceLoader.load(path: path)
        #expect(t.format == .rawSIP)
        #expect(t.messages.count == chunks * perChunk * 2)
        #expect(t.messages.last?.index == t.messages.count)
        #expect(t.warnings.isEmpty)
    }

    @Test func tenThousandCallsAreAllRead() throws {
        var text = ""
        text.reserveCapacity(10_000 * 1_400)
        for n in 0..<10_000 {
            let id = "call-\(n)@192.168.1.50"
            let s = n % 60, m = (n / 60) % 60
            let stamp = "\(String(format: "%02d", 10 + n / 3600)):\(String(format: "%02d", m)):\(String(format: "%02d", s))"
            text += "[\(stamp).100] PHONE -> CORE\n" + TestTraces.invite(callID: id, eol: "\n") + "\n"
            text += "[\(stamp).250] CORE -> PHONE\n" + TestTraces.response("486 Busy Here", callID: id, eol: "\n") + "\n"
        }
        let t = try readText(text)
        #expect(t.format == .portal)
        #expect(t.messages.count == 20_000)
        #expect(Set(t.messages.compactMap(\.message.callID)).count == 10_000)
        #expect(t.messages.last?.message.summary == "486 Busy Here")
        #expect(t.messages.last?.destinationLabel == "PHONE")
    }
}
