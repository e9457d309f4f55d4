import Testing
import TraceFormats

/// Classic pcap: both byte orders, both resolutions, the header's fields,
/// and every way a record can be wrong.
@Suite struct PcapReaderTests {

    @Test(arguments: [CaptureByteOrder.littleEndian, .bigEndian], [false, true])
    func framesComeBackWithTimeLinkAndBytes(_ order: CaptureByteOrder, _ ns: Bool) throws {
        let bytes = try CaptureSamples.pcap(count: 5, nanosecond: ns, byteOrder: order)
        var reader = try CaptureReader(bytes: bytes, name: "t.pcap")
        #expect(reader.format == .pcap(byteOrder: order, nanosecond: ns))
        var frames: [CopiedFrame] = []
        while let f = try reader.next() { frames.append(CopiedFrame(f)) }
        #expect(frames.count == 5)
        for (i, f) in frames.enumerated() {
            let n = i + 1
            let exact = CaptureSamples.baseNanos + Int64(n) * 20_000_000
            #expect(f.number == n)
            // Microsecond files lose the nanoseconds: 789 of 123_456_789.
            #expect(f.timestampNanos == (ns ? exact : exact - 789))
            #expect(f.linkType == .ethernet)
            #expect(f.data == CaptureSamples.payload(n, length: 60 + n))
            #expect(f.originalLength == 60 + n)
            #expect(f.interface == 0)
        }
        #expect(reader.bytesRead == bytes.count)
        #expect(reader.warnings.isEmpty)
    }

    @Test func fcsBitsInTheLinkTypeAreMasked() throws {
        var bytes = try CaptureSamples.pcap(count: 1)
        // LINKTYPE_ETHERNET with the "FCS present, 4 bytes" bits set.
        CaptureSamples.put32(&bytes, at: 20, 0x1000_0000 | 0x0400_0000 | 1)
        let (frames, _) = try CaptureSamples.readAll(bytes)
        #expect(frames.first?.linkType == .ethernet)
    }

    @Test func otherLinkTypesAreReported() throws {
        let w = try PcapWriter(linkType: .linuxSLL, snapLength: 1500)
        try w.append(timestampNanos: 1_000_000_000, data: [1, 2, 3], originalLength: 3)
        let (frames, _) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.map(\.linkType) == [.linuxSLL])
    }

    @Test func snapLengthCutsTheWriterAndOriginalLengthSurvives() throws {
        let w = try PcapWriter(linkType: .ethernet, snapLength: 64)
        try w.append(timestampNanos: 0, data: CaptureSamples.payload(1, length: 1500))
        let (frames, _) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.first?.data == Array(CaptureSamples.payload(1, length: 1500).prefix(64)))
        #expect(frames.first?.originalLength == 1500)
    }

    @Test func frameLargerThanTheSnapLengthIsReadWithOneWarning() throws {
        var bytes = try CaptureSamples.pcap(count: 4)
        CaptureSamples.put32(&bytes, at: 16, 62) // frames are 61 to 64 bytes
        let (frames, warnings) = try CaptureSamples.readAll(bytes)
        #expect(frames.count == 4)
        #expect(frames[3].data == CaptureSamples.payload(4, length: 64))
        #expect(warnings == ["frame 3 holds 63 bytes, more than the snap length 62 in the file header; frames are read whole regardless"])
    }

    @Test func absurdLengthInTheFirstRecordIsAnErrorNamingFrameAndOffset() throws {
        var bytes = try CaptureSamples.pcap(count: 3)
        CaptureSamples.put32(&bytes, at: 24 + 8, 4_000_000_000)
        let e = try #require(CaptureSamples.error(bytes, name: "x.pcap"))
        guard case .damaged(let path, let frame, let offset, let detail) = e else {
            Issue.record("expected damage, got \(e)")
            return
        }
        #expect(path == "x.pcap")
        #expect(frame == 1)
        #expect(offset == 24)
        #expect(detail.contains("4000000000 bytes were captured, over the 262144-byte maximum for Ethernet (1)"))
        #expect(e.description.hasPrefix("x.pcap is damaged at byte 24, in frame 1: its record header says 4000000000 bytes"))
    }

    @Test func absurdLengthLaterStopsWithAWarningAfterTheGoodFrames() throws {
        var bytes = try CaptureSamples.pcap(count: 5)
        let at = CaptureSamples.pcapRecordOffset(4)
        CaptureSamples.put32(&bytes, at: at + 8, 300_000)
        let (frames, warnings) = try CaptureSamples.readAll(bytes)
        #expect(frames.count == 3)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("the capture is damaged at byte \(at), in frame 4 (its record header says 300000 bytes were captured") == true)
        #expect(warnings.first?.hasSuffix("read the 3 frames before it") == true)
    }

    @Test func junkAfterAValidHeaderIsAnError() throws {
        let header = Array(try CaptureSamples.pcap(count: 1).prefix(24))
        var junk = header
        for i in 0..<200 { junk.append(UInt8(truncatingIfNeeded: i &* 97 &+ 0xE1)) }
        let e = try #require(CaptureSamples.error(junk, name: "j.pcap"))
        guard case .damaged(_, 1, 24, _) = e else {
            Issue.record("expected damage at frame 1, byte 24, got \(e)")
            return
        }
    }

    @Test func cutInsideARecordKeepsTheFramesBefore() throws {
        let bytes = try CaptureSamples.pcap(count: 4)
        // Cut inside the data of frame 4, then inside its record header.
        for cut in [bytes.count - 10, CaptureSamples.pcapRecordOffset(4) + 7] {
            let (frames, warnings) = try CaptureSamples.readAll(Array(bytes.prefix(cut)))
            #expect(frames.count == 3)
            #expect(warnings == ["the capture ends inside frame 4 (cut short?): read the 3 frames before it"])
        }
    }

    @Test func cutRightAfterARecordIsACleanEnd() throws {
        let bytes = try CaptureSamples.pcap(count: 4)
        let (frames, warnings) = try CaptureSamples.readAll(Array(bytes.prefix(CaptureSamples.pcapRecordOffset(4))))
        #expect(frames.count == 3)
        #expect(warnings.isEmpty)
    }

    @Test func version22HasItsLengthsTheOtherWayRound() throws {
        var bytes = try CaptureSamples.pcap(count: 1)
        bytes[6] = 2 // minor version 2
        // Swap captured (61) and original, with original larger: 61 on the wire, 61 captured stays.
        CaptureSamples.put32(&bytes, at: 24 + 8, 100) // "captured" field now holds the wire length
        CaptureSamples.put32(&bytes, at: 24 + 12, 61) // "original" field holds the captured length
        let (frames, _) = try CaptureSamples.readAll(bytes)
        #expect(frames.first?.data.count == 61)
        #expect(frames.first?.originalLength == 100)
    }

    @Test func unknownVersionIsRefused() throws {
        var bytes = try CaptureSamples.pcap(count: 1)
        bytes[4] = 3 // version 3.4
        #expect(CaptureSamples.error(bytes, name: "v.pcap") == .unsupportedVersion(path: "v.pcap", format: .pcap(byteOrder: .littleEndian, nanosecond: false), major: 3, minor: 4))
    }

    @Test func zeroSnapLengthMeansNoLimit() throws {
        var bytes = try CaptureSamples.pcap(count: 2)
        CaptureSamples.put32(&bytes, at: 16, 0)
        let (frames, warnings) = try CaptureSamples.readAll(bytes)
        #expect(frames.count == 2)
        #expect(warnings.isEmpty)
    }
}
