/// The capture formats agentctl reads.
public enum CaptureFormat: Sendable, Hashable, CustomStringConvertible {
    /// Classic libpcap: one byte order for the whole file, microsecond or
    /// (magic a1b23c4d) nanosecond time stamps.
    case pcap(byteOrder: CaptureByteOrder, nanosecond: Bool)
    /// pcapng: the byte order is per section, so it is not part of the format.
    case pcapng

    public var description: String {
        switch self {
        case .pcap(let order, let ns): return "pcap (\(ns ? "nanosecond" : "microsecond") time stamps, \(order))"
        case .pcapng: return "pcapng"
        }
    }

    /// What the first bytes of a file say it is.
    public enum Sniff: Sendable, Hashable {
        case capture(CaptureFormat)
        case foreign(ForeignCapture)
        case notACapture
    }

    /// Judges a file from its head (the first few KB; 4 bytes decide pcap,
    /// 12 pcapng, ERF needs its first records).
    public static func sniff(_ head: UnsafeRawBufferPointer) -> Sniff {
        guard head.count >= 4 else { return .notACapture }
        switch (head[0], head[1], head[2], head[3]) {
        case (0xD4, 0xC3, 0xB2, 0xA1): return .capture(.pcap(byteOrder: .littleEndian, nanosecond: false))
        case (0xA1, 0xB2, 0xC3, 0xD4): return .capture(.pcap(byteOrder: .bigEndian, nanosecond: false))
        case (0x4D, 0x3C, 0xB2, 0xA1): return .capture(.pcap(byteOrder: .littleEndian, nanosecond: true))
        case (0xA1, 0xB2, 0x3C, 0x4D): return .capture(.pcap(byteOrder: .bigEndian, nanosecond: true))
        case (0x0A, 0x0D, 0x0D, 0x0A):
            // The block type alone is "\n\r\r\n", which a text file can start
            // with; the byte-order magic after the length confirms it
            // (libpcap's pcap_ng_check_header does the same). A file too
            // short to hold it is a pcapng cut inside its first block.
            guard head.count >= 12 else { return .capture(.pcapng) }
            let bom = (head[8], head[9], head[10], head[11])
            if bom == (0x4D, 0x3C, 0x2B, 0x1A) || bom == (0x1A, 0x2B, 0x3C, 0x4D) { return .capture(.pcapng) }
            return .notACapture
        default:
            if let foreign = ForeignCapture.recognise(head) { return .foreign(foreign) }
            return .notACapture
        }
    }
}
