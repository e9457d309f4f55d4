import Foundation
import Testing
import TraceFormats

/// Reading from disk through the fixed buffer: frames that straddle its
/// end, a block larger than the buffer, a second pass, and paths that are
/// not captures.
@Suite struct CaptureFileTests {
    /// Frames of odd sizes over several buffer lengths (the buffer is 1 MiB),
    /// so that many records cross its end.
    @Test(arguments: ["pcap", "pcapng"])
    func framesStraddlingTheBufferEndAreWhole(_ kind: String) throws {
        let dir = try CaptureSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.\(kind)").path
        let count = 3_000
        func length(_ n: Int) -> Int { 200 + (n * 977) % 1_400 }
        if kind == "pcap" {
            let w = try PcapWriter.create(path: path, linkType: .ethernet)
            for n in 1...count { try w.append(timestampNanos: Int64(n) * 1_000, data: CaptureSamples.payload(n, length: length(n))) }
            try w.finish()
        } else {
            var w = try PcapNGWriter.create(path: path)
            try w.addInterface(.init(linkType: .ethernet))
            for n in 1...count { try w.append(timestampNanos: Int64(n) * 1_000, data: CaptureSamples.payload(n, length: length(n))) }
            try w.finish()
        }
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 2 << 20)
        var reader = try CaptureReader.open(path: path)
        #expect(reader.fileSize == size)
        var n = 0
        while let f = try reader.next() {
            n += 1
            // Compared in place: a frame is only valid until the next call.
            let expected = CaptureSamples.payload(n, length: length(n))
            if !f.data.elementsEqual(expected) {
                Issue.record("frame \(n) differs")
                break
            }
        }
        #expect(n == count)
        #expect(reader.bytesRead == size)
        #expect(reader.warnings.isEmpty)
    }

    /// D-Bus frames may be 128 MiB (libpcap's max_snaplen_for_dlt); a 3 MiB
    /// one makes the buffer grow past its first megabyte.
    @Test func blockLargerThanTheBufferGrowsIt() throws {
        let dir = try CaptureSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("dbus.pcapng").path
        var w = try PcapNGWriter.create(path: path)
        try w.addInterface(.init(linkType: LinkType(rawValue: 231), snapLength: 0))
        try w.append(timestampNanos: 1, data: CaptureSamples.payload(1, length: 100))
        try w.append(timestampNanos: 2, data: CaptureSamples.payload(2, length: 3 << 20))
        try w.append(timestampNanos: 3, data: CaptureSamples.payload(3, length: 100))
        try w.finish()
        let (frames, warnings, _) = try CaptureSamples.readFile(path)
        #expect(frames.map(\.data.count) == [100, 3 << 20, 100])
        #expect(frames[1].data == CaptureSamples.payload(2, length: 3 << 20))
        #expect(warnings.isEmpty)
    }

    @Test func rewindReadsTheSameFramesAgain() throws {
        let dir = try CaptureSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.pcap").path
        var bytes = try CaptureSamples.pcap(count: 6)
        bytes.removeLast(5) // cut frame 6: a warning each pass
        #expect(FileManager.default.createFile(atPath: path, contents: Foundation.Data(bytes)))
        var reader = try CaptureReader.open(path: path)
        var first: [CopiedFrame] = []
        while let f = try reader.next() { first.append(CopiedFrame(f)) }
        let firstWarnings = reader.warnings
        try reader.rewind()
        #expect(reader.framesRead == 0)
        #expect(reader.warnings.isEmpty)
        var second: [CopiedFrame] = []
        while let f = try reader.next() { second.append(CopiedFrame(f)) }
        #expect(first.count == 5)
        #expect(second == first)
        #expect(reader.warnings == firstWarnings)
        #expect(firstWarnings.count == 1)

        var memory = try CaptureReader(bytes: bytes, name: "m.pcap")
        while try memory.next() != nil {}
        try memory.rewind()
        #expect(try memory.next().map(CopiedFrame.init) == first.first)
    }

    @Test func missingFileFolderAndEmptyFile() throws {
        let dir = try CaptureSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("nope.pcap").path
        #expect(throws: CaptureError.self) { try CaptureReader.open(path: missing) }
        do {
            _ = try CaptureReader.open(path: missing)
        } catch {
            #expect(error.description.hasPrefix("cannot read \(missing): no such file or directory; check the path"))
        }
        do {
            _ = try CaptureReader.open(path: dir.path)
            Issue.record("a folder opened as a capture")
        } catch {
            #expect(error.description.contains("it is a folder; pass the capture file itself"))
        }
        let empty = dir.appendingPathComponent("empty.pcap").path
        #expect(FileManager.default.createFile(atPath: empty, contents: nil))
        do {
            _ = try CaptureReader.open(path: empty)
            Issue.record("an empty file opened as a capture")
        } catch {
            #expect(error == .empty(path: empty))
        }
    }

    @Test func writingIntoAMissingFolderFailsClearly() {
        do {
            _ = try PcapWriter.create(path: "/nonexistent-folder/x.pcap", linkType: .ethernet)
            Issue.record("wrote into a missing folder")
        } catch {
            #expect(error.description.hasPrefix("cannot write /nonexistent-folder/x.pcap: no such file or directory"))
        }
    }
}
