import Testing
import TestSupport
import TraceFormats

/// Mangled captures never crash or hang the reader: headers and records
/// flipped, cut, spliced and given hostile lengths (seeded, so a failure
/// replays). Each run must end: by an error, or by `next()` returning nil
/// within a bound on the frames a file of that size can hold.
@Suite struct CaptureFuzzTests {
    static func pcapng(seed: UInt64) throws -> [UInt8] {
        var w = try PcapNGWriter(byteOrder: seed % 2 == 0 ? .littleEndian : .bigEndian)
        try w.addInterface(.init(linkType: .ethernet, resolution: .nanoseconds, name: "eth0"))
        try w.addInterface(.init(linkType: .linuxSLL, snapLength: 64, resolution: .binary(20), offsetSeconds: 10))
        for n in 1...12 {
            try w.append(interface: n % 2, timestampNanos: CaptureSamples.baseNanos + Int64(n), data: CaptureSamples.payload(n, length: 20 + n * 7))
        }
        try w.appendBlock(type: 4, body: [0, 0, 0, 0])
        try w.appendSimple(data: CaptureSamples.payload(99, length: 33))
        try w.appendObsoletePacket(interface: 1, timestampNanos: 5, data: [1, 2, 3])
        try w.startSection()
        try w.addInterface(.init(linkType: .raw))
        try w.append(timestampNanos: 1, data: CaptureSamples.payload(7, length: 40))
        return w.bytes
    }

    /// Reads to the end; the frame bound catches a reader that loops.
    static func drain(_ bytes: [UInt8]) {
        guard var reader = try? CaptureReader(bytes: bytes, name: "fuzz") else { return }
        var frames = 0
        // Every frame costs at least 12 bytes of file (an SPB with no data).
        let bound = bytes.count / 12 + 1
        while frames <= bound {
            guard let f = try? reader.next() else { break }
            // Touch the borrowed bytes: they must lie inside the buffer.
            var sum = 0
            for b in f.data { sum &+= Int(b) }
            _ = sum
            frames += 1
        }
        #expect(frames <= bound, "the reader kept returning frames")
    }

    static func mangle(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        let hostile: [UInt32] = [0, 1, 3, 4, 11, 12, 0x7FFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFC, 262_145, 16 << 20, 0x0A0D_0D0A]
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            guard bytes.count > 4 else { break }
            let at = Int.random(in: 0..<(bytes.count - 4), using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng)))
            case 2:
                // A hostile 32-bit length, in either byte order, at a 4-byte boundary.
                let v = hostile.randomElement(using: &rng)!
                let a = at & ~3
                let swapped = Bool.random(using: &rng)
                for i in 0..<4 where a + i < bytes.count {
                    bytes[a + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(swapped ? 3 - i : i)))
                }
            case 3: bytes = Array(bytes.prefix(at))
            case 4:
                // Splice: a copy of some earlier bytes (a duplicated block or record).
                let len = Int.random(in: 1...64, using: &rng)
                let from = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.insert(contentsOf: bytes[from..<min(bytes.count, from + len)], at: at)
            default: bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            }
        }
        return bytes
    }

    @Test(arguments: ["pcap-le-us", "pcap-be-ns", "pcapng-le", "pcapng-be"])
    func mangledCapturesNeverCrashOrHang(_ kind: String) throws {
        let seed = UInt64(kind.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude)
        let original: [UInt8]
        switch kind {
        case "pcap-le-us": original = try CaptureSamples.pcap(count: 12)
        case "pcap-be-ns": original = try CaptureSamples.pcap(count: 12, nanosecond: true, byteOrder: .bigEndian)
        case "pcapng-le": original = try Self.pcapng(seed: 0)
        default: original = try Self.pcapng(seed: 1)
        }
        var rng = SplitMix64(seed: seed)
        for _ in 0..<1_500 {
            Self.drain(Self.mangle(original, &rng))
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 0xCA97_0BE5)
        let heads: [[UInt8]] = [[0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D], [0x0A, 0x0D, 0x0D, 0x0A], []]
        for _ in 0..<1_000 {
            var bytes = heads.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 0...300, using: &rng) { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
            if bytes.count >= 12, bytes[0] == 0x0A { bytes[8] = 0x4D; bytes[9] = 0x3C; bytes[10] = 0x2B; bytes[11] = 0x1A }
            Self.drain(bytes)
        }
    }
}
