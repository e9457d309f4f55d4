import Foundation
import Testing
import TestSupport
import TraceFormats

/// What the writers write, the reader reads back the same: every format
/// variant, with random (seeded) frames.
@Suite struct CaptureRoundTripTests {

    /// Random frames of 0 to 1,600 bytes, times spread over a day.
    static func frames(seed: UInt64, count: Int, interfaces: Int = 1) -> [CopiedFrame] {
        var rng = SplitMix64(seed: seed)
        var t = CaptureSamples.baseNanos
        return (1...count).map { n in
            t += Int64.random(in: 0...80_000_000_000, using: &rng)
            let length = Int.random(in: 0...1_600, using: &rng)
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let original = length + (Bool.random(using: &rng) ? 0 : Int.random(in: 1...500, using: &rng))
            return CopiedFrame(number: n, timestampNanos: t, linkType: .ethernet, originalLength: original,
                               interface: Int.random(in: 0..<interfaces, using: &rng), data: data)
        }
    }

    @Test(arguments: [CaptureByteOrder.littleEndian, .bigEndian], [false, true])
    func pcap(_ order: CaptureByteOrder, _ ns: Bool) throws {
        let input = Self.frames(seed: ns ? 11 : 12, count: 300)
        let w = try PcapWriter(linkType: .ethernet, nanosecond: ns, byteOrder: order)
        for f in input { try w.append(timestampNanos: f.timestampNanos, data: f.data, originalLength: f.originalLength) }
        let (output, warnings) = try CaptureSamples.readAll(w.bytes)
        var expected = input
        if !ns { for i in expected.indices { expected[i].timestampNanos -= expected[i].timestampNanos % 1_000 } }
        #expect(output == expected)
        #expect(warnings.isEmpty)
    }

    @Test(arguments: [CaptureByteOrder.littleEndian, .bigEndian])
    func pcapngWithInterfacesOfDifferentLinkTypesAndClocks(_ order: CaptureByteOrder) throws {
        let interfaces: [PcapNGWriter.Interface] = [
            .init(linkType: .ethernet, resolution: .nanoseconds),
            .init(linkType: .linuxSLL, resolution: .microseconds),
            .init(linkType: .raw, snapLength: 0, resolution: .decimal(10)), // 10^-12 would overflow 64-bit ticks today
            .init(linkType: .null, resolution: .binary(32), offsetSeconds: -7200),
        ]
        var w = try PcapNGWriter(byteOrder: order)
        for i in interfaces { try w.addInterface(i) }
        var input = Self.frames(seed: 21, count: 400, interfaces: interfaces.count)
        for i in input.indices { input[i].linkType = interfaces[input[i].interface].linkType }
        for f in input {
            try w.append(interface: f.interface, timestampNanos: f.timestampNanos, data: f.data, originalLength: f.originalLength)
        }
        let (output, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(warnings.isEmpty)
        #expect(output.count == input.count)
        for (got, want) in zip(output, input) {
            var w = want
            switch interfaces[want.interface].resolution {
            case .decimal(6): w.timestampNanos -= w.timestampNanos % 1_000
            case .binary:
                // 2^-32 s ticks are finer than a nanosecond: exact.
                break
            default: break
            }
            #expect(got == w)
        }
    }

    @Test func pcapngSimplePacketsAndSections() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ipv4, snapLength: 100))
        let input = Self.frames(seed: 31, count: 50)
        for f in input { try w.appendSimple(data: f.data, originalLength: f.originalLength) }
        try w.startSection(byteOrder: .bigEndian)
        try w.addInterface(.init(linkType: .ipv6))
        for f in input { try w.appendSimple(data: f.data, originalLength: f.originalLength) }
        let (output, _) = try CaptureSamples.readAll(w.bytes)
        #expect(output.count == 100)
        for (i, got) in output.enumerated() {
            let want = input[i % 50]
            #expect(got.number == i + 1)
            #expect(got.linkType == (i < 50 ? .ipv4 : .ipv6))
            // An SPB records the original length only when the snap length cut the frame.
            let cut = i < 50 && want.data.count >= 100
            #expect(got.originalLength == (cut ? want.originalLength : want.data.count))
            #expect(got.data == (i < 50 ? Array(want.data.prefix(100)) : want.data))
        }
    }

    @Test func writingToAFileReadsBackTheSame() throws {
        let dir = try CaptureSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = Self.frames(seed: 41, count: 200)
        let pcapPath = dir.appendingPathComponent("w.pcap").path
        let p = try PcapWriter.create(path: pcapPath, linkType: .ethernet, nanosecond: true)
        for f in input { try p.append(timestampNanos: f.timestampNanos, data: f.data, originalLength: f.originalLength) }
        try p.finish()
        #expect(try CaptureSamples.readFile(pcapPath).frames == input)

        let ngPath = dir.appendingPathComponent("w.pcapng").path
        var n = try PcapNGWriter.create(path: ngPath)
        try n.addInterface(.init(linkType: .ethernet, resolution: .nanoseconds))
        for f in input { try n.append(timestampNanos: f.timestampNanos, data: f.data, originalLength: f.originalLength) }
        try n.finish()
        #expect(try CaptureSamples.readFile(ngPath).frames == input)
    }
}
