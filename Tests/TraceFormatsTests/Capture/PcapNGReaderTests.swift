import Testing
import TraceFormats

/// pcapng: sections, interfaces and their clocks, the three packet blocks,
/// skipped blocks, and block framing that does not hold.
@Suite struct PcapNGReaderTests {

    /// SHB (28) + IDB without options (20) for the offsets below.
    static let firstPacketOffset = 48

    static func simple(count: Int, byteOrder: CaptureByteOrder = .littleEndian) throws -> [UInt8] {
        var w = try PcapNGWriter(byteOrder: byteOrder)
        try w.addInterface(.init(linkType: .ethernet))
        for n in 1...count {
            try w.append(timestampNanos: CaptureSamples.baseNanos + Int64(n) * 1_000, data: CaptureSamples.payload(n, length: 40 + n))
        }
        return w.bytes
    }

    @Test(arguments: [CaptureByteOrder.littleEndian, .bigEndian])
    func enhancedPacketsInEitherByteOrder(_ order: CaptureByteOrder) throws {
        let bytes = try Self.simple(count: 3, byteOrder: order)
        var reader = try CaptureReader(bytes: bytes, name: "t.pcapng")
        #expect(reader.format == .pcapng)
        var frames: [CopiedFrame] = []
        while let f = try reader.next() { frames.append(CopiedFrame(f)) }
        #expect(frames.map(\.number) == [1, 2, 3])
        // Default resolution is microseconds.
        #expect(frames.map(\.timestampNanos) == (1...3).map { CaptureSamples.baseNanos - 789 + Int64($0) * 1_000 })
        #expect(frames.map(\.data) == (1...3).map { CaptureSamples.payload($0, length: 40 + $0) })
        #expect(reader.bytesRead == bytes.count)
        #expect(reader.warnings.isEmpty)
    }

    @Test func interfacesKeepTheirOwnLinkTypeSnapLengthAndClock() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet, snapLength: 0, resolution: .nanoseconds, name: "eth0"))
        try w.addInterface(.init(linkType: .linuxSLL, snapLength: 20, resolution: .decimal(3)))
        try w.addInterface(.init(linkType: .raw, resolution: .binary(20), offsetSeconds: 3600))
        let t = CaptureSamples.baseNanos
        try w.append(interface: 0, timestampNanos: t, data: CaptureSamples.payload(1, length: 50))
        try w.append(interface: 1, timestampNanos: t, data: CaptureSamples.payload(2, length: 50))
        try w.append(interface: 2, timestampNanos: t, data: CaptureSamples.payload(3, length: 50))
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(warnings.isEmpty)
        #expect(frames.map(\.linkType) == [.ethernet, .linuxSLL, .raw])
        #expect(frames.map(\.interface) == [0, 1, 2])
        #expect(frames[0].timestampNanos == t)
        #expect(frames[1].timestampNanos == t - 123_456_789 + 123_000_000)
        #expect(frames[1].data == Array(CaptureSamples.payload(2, length: 50).prefix(20)))
        #expect(frames[1].originalLength == 50)
        // 2^-20 s ticks, plus an hour of offset; within one tick of the truth.
        #expect(abs(frames[2].timestampNanos - t) < 954)
    }

    @Test func tsoffsetIsAddedInSeconds() throws {
        // Written with the offset, so the ticks stored are an hour early.
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet, resolution: .nanoseconds, offsetSeconds: 3600))
        try w.append(timestampNanos: 7_200_000_000_000, data: [1])
        let (frames, _) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.first?.timestampNanos == 7_200_000_000_000)
        // The ticks stored are the time minus the offset: SHB 28, IDB 44
        // (if_tsresol 8, if_tsoffset 12, end 4), then the EPB's time fields.
        let b = w.bytes, epb = 28 + 44
        var ticks: UInt64 = 0
        for i in (0..<4).reversed() { ticks = ticks << 8 | UInt64(b[epb + 12 + i]) }
        for i in (0..<4).reversed() { ticks = ticks << 8 | UInt64(b[epb + 16 + i]) }
        #expect(b[epb] == 6)
        #expect(ticks == 3_600_000_000_000)
    }

    @Test func sectionsResetInterfacesAndMayChangeByteOrder() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet))
        try w.addInterface(.init(linkType: .linuxSLL))
        try w.append(interface: 1, timestampNanos: 1_000_000_000, data: [1, 1])
        try w.startSection(byteOrder: .bigEndian)
        try w.addInterface(.init(linkType: .raw))
        try w.append(interface: 0, timestampNanos: 2_000_000_000, data: [2, 2, 2])
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(warnings.isEmpty)
        #expect(frames.map(\.linkType) == [.linuxSLL, .raw])
        #expect(frames.map(\.number) == [1, 2])
        #expect(frames.map(\.data) == [[1, 1], [2, 2, 2]])
    }

    @Test func anInterfaceOfAnEarlierSectionIsGone() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet))
        try w.addInterface(.init(linkType: .ethernet))
        try w.append(interface: 1, timestampNanos: 0, data: [1])
        try w.startSection()
        try w.addInterface(.init(linkType: .ethernet))
        try w.append(interface: 1, timestampNanos: 0, data: [2])
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.count == 1)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("frame 2 names interface 1, but section 2 describes 1 interface") == true)
    }

    @Test func simplePacketBlocksUseInterfaceZero() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .linuxSLL2, snapLength: 30))
        try w.appendSimple(data: CaptureSamples.payload(1, length: 25))
        try w.appendSimple(data: CaptureSamples.payload(2, length: 90))
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.map(\.linkType) == [.linuxSLL2, .linuxSLL2])
        #expect(frames[0].data == CaptureSamples.payload(1, length: 25))
        #expect(frames[1].data == Array(CaptureSamples.payload(2, length: 90).prefix(30)))
        #expect(frames[1].originalLength == 90)
        #expect(frames.map(\.timestampNanos) == [0, 0])
        #expect(warnings == ["frame 1 is a simple packet block, which records no time: such frames are given time 0 (1970-01-01)"])
    }

    @Test func obsoletePacketBlocksAreRead() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet))
        try w.addInterface(.init(linkType: .null))
        try w.appendObsoletePacket(interface: 1, timestampNanos: 5_000_000_000, data: [9, 8, 7])
        let (frames, _) = try CaptureSamples.readAll(w.bytes)
        #expect(frames == [CopiedFrame(number: 1, timestampNanos: 5_000_000_000, linkType: .null, originalLength: 3, interface: 1, data: [9, 8, 7])])
    }

    @Test func otherBlocksAreSkipped() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet))
        try w.appendBlock(type: 4, body: [0, 0, 0, 0]) // NRB, end of records
        try w.append(timestampNanos: 1_000, data: [1])
        try w.appendBlock(type: 5, body: [UInt8](repeating: 0, count: 12)) // ISB
        try w.appendBlock(type: 0x0A, body: [UInt8](repeating: 3, count: 9)) // DSB
        try w.appendBlock(type: 0x0000_0BAD, body: [0, 0, 0x7F, 0xFF, 1, 2]) // custom
        try w.appendBlock(type: 0x8000_1234, body: []) // local use
        try w.append(timestampNanos: 2_000, data: [2])
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.map(\.data) == [[1], [2]])
        #expect(frames.map(\.number) == [1, 2])
        #expect(warnings.isEmpty)
    }

    @Test func badTrailerIsDamage() throws {
        var bytes = try Self.simple(count: 2)
        bytes[bytes.count - 4] ^= 0x10 // trailer of frame 2
        let (frames, warnings) = try CaptureSamples.readAll(bytes)
        #expect(frames.count == 1)
        #expect(warnings.first?.contains("an enhanced packet block of 76 bytes ends with the length 92; the two must match") == true)
        // In the first packet there is nothing before it: an error.
        var first = try Self.simple(count: 1)
        first[first.count - 4] ^= 0x10
        let e = try #require(CaptureSamples.error(first, name: "b.pcapng"))
        guard case .damaged("b.pcapng", 1, Self.firstPacketOffset, _) = e else {
            Issue.record("expected damage at frame 1, got \(e)")
            return
        }
    }

    @Test func lengthNotAMultipleOfFourIsDamage() throws {
        var bytes = try Self.simple(count: 1)
        CaptureSamples.put32(&bytes, at: Self.firstPacketOffset + 4, 78)
        let e = try #require(CaptureSamples.error(bytes))
        #expect(e.description.contains("an enhanced packet block says it is 78 bytes long, which is not a multiple of 4"))
    }

    @Test func hugeAndTinyBlockLengthsAreDamage() throws {
        var huge = try Self.simple(count: 1)
        CaptureSamples.put32(&huge, at: Self.firstPacketOffset + 4, 0xFFFF_FFF0)
        #expect(CaptureSamples.error(huge)?.description.contains("over the 16777216-byte limit") == true)
        var tiny = try Self.simple(count: 1)
        CaptureSamples.put32(&tiny, at: Self.firstPacketOffset + 4, 8)
        #expect(CaptureSamples.error(tiny)?.description.contains("shorter than the 32 bytes such a block needs") == true)
    }

    @Test func capturedLengthBeyondItsBlockIsDamage() throws {
        var bytes = try Self.simple(count: 1)
        CaptureSamples.put32(&bytes, at: Self.firstPacketOffset + 20, 200)
        #expect(CaptureSamples.error(bytes)?.description.contains("frame 1 says 200 bytes were captured, more than its 76-byte block holds") == true)
    }

    @Test func packetBeforeAnyInterfaceIsDamage() throws {
        let w = try PcapNGWriter()
        try w.append(timestampNanos: 0, data: [1, 2, 3])
        #expect(CaptureSamples.error(w.bytes)?.description.contains("frame 1 names interface 0, but section 1 describes 0 interfaces") == true)
    }

    @Test func cutInsideABlockKeepsTheFramesBefore() throws {
        let bytes = try Self.simple(count: 3)
        for cut in [bytes.count - 1, bytes.count - 30, bytes.count - 76 + 3] {
            let (frames, warnings) = try CaptureSamples.readAll(Array(bytes.prefix(cut)))
            #expect(frames.count == 2)
            let expected = cut == bytes.count - 76 + 3
                ? "the capture ends inside a block header (cut short?): read the 2 frames before it"
                : "the capture ends inside frame 3 (cut short?): read the 2 frames before it"
            #expect(warnings == [expected])
        }
    }

    @Test func laterSectionWithABadByteOrderMagicIsDamage() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet))
        try w.append(timestampNanos: 0, data: CaptureSamples.payload(1, length: 41)) // EPB of 76 bytes
        try w.startSection()
        try w.addInterface(.init(linkType: .ethernet))
        try w.append(timestampNanos: 0, data: [2])
        var bytes = w.bytes
        let second = 28 + 20 + 76
        bytes[second + 9] = 0x00 // 4d 3c 2b 1a becomes 4d 00 2b 1a
        let (frames, warnings) = try CaptureSamples.readAll(bytes)
        #expect(frames.count == 1)
        #expect(warnings == ["the capture is damaged at byte \(second), in frame 2 (a section header block has no valid byte-order magic (1a2b3c4d)): read the 1 frame before it"])
    }

    @Test func unsupportedSectionVersionIsRefused() throws {
        var bytes = try Self.simple(count: 1)
        bytes[12] = 2 // major version 2
        #expect(CaptureSamples.error(bytes, name: "v.pcapng") == .unsupportedVersion(path: "v.pcapng", format: .pcapng, major: 2, minor: 0))
    }

    @Test func badTimeResolutionFallsBackToMicrosecondsWithAWarning() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet, resolution: .decimal(30)))
        try w.append(timestampNanos: 0, data: [1])
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.count == 1)
        #expect(warnings == ["interface 0 of section 1 has a time resolution of 10^-30 seconds, which no clock has; its times are read as microseconds"])
    }

    @Test func optionRunningPastItsBlockIsIgnoredWithAWarning() throws {
        let w = try PcapNGWriter()
        // IDB body: link type, reserved, snap length, then an if_name option claiming 200 bytes.
        try w.appendBlock(type: 1, body: [1, 0, 0, 0, 0, 0, 4, 0, 2, 0, 200, 0, 0x65, 0x74, 0x68, 0x30])
        try w.append(timestampNanos: 1_000, data: [7])
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.map(\.data) == [[7]])
        #expect(warnings == ["interface 0 of section 1 has an option running past its block; its remaining options were ignored"])
    }
}
