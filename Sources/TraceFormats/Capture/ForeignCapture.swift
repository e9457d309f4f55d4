/// A capture or archive format recognised by its first bytes that
/// agentctl does not read, named so the error can say what the file is and
/// how to turn it into something readable.
///
/// Magic numbers checked against Wireshark's wiretap readers (netmon.c,
/// snoop.c, netxray.c, ngsniffer.c, libpcap.h, erf.c) and libpcap's sf-pcap.c.
public enum ForeignCapture: Sendable, Hashable {
    /// "RTSS" (1.x) or "GMBU" (2.x and Network Monitor 3).
    case networkMonitor
    /// "snoop\0\0\0" (RFC 1761): Solaris snoop.
    case snoop
    /// pcap magic a1b2cd34: Alexey Kuznetzov's patched Linux libpcap, whose
    /// record headers carry 8 extra bytes.
    case kuznetzovPcap
    /// pcap magic a12b3c4d: Navtel's nanosecond variant.
    case navtelPcap
    /// 1c0001ac / 1c0001ab: IXIA lcap, a pcap header with a length field added.
    case ixiaPcap
    /// "XCP\0" (NetXRay 2.x, Windows Sniffer) or "VL\0\0" (NetXRay 1.x).
    case netXRay
    /// "TRSNIFF data    \x1a": the DOS Sniffer.
    case sniffer
    /// Endace ERF has no magic number; recognised by plausible first records.
    case endaceERF
    case compressed(Compression)

    public enum Compression: String, Sendable, Hashable {
        case gzip, zstd, zip, bzip2, xz, lz4
    }

    /// What the file is, for "x is <name>".
    public var name: String {
        switch self {
        case .networkMonitor: return "a Microsoft Network Monitor capture"
        case .snoop: return "a Solaris snoop capture"
        case .kuznetzovPcap:
            return "a Kuznetzov modified pcap (magic a1b2cd34, written by a patched Linux libpcap; its record headers differ from pcap's)"
        case .navtelPcap: return "a Navtel modified pcap (magic a12b3c4d)"
        case .ixiaPcap: return "an IXIA lcap capture (a modified pcap)"
        case .netXRay: return "a NetXRay / Windows Sniffer capture"
        case .sniffer: return "a DOS Sniffer capture"
        case .endaceERF: return "an Endace ERF capture"
        case .compressed(let c):
            switch c {
            case .gzip: return "a gzip-compressed file"
            case .zstd: return "a zstd-compressed file"
            case .zip: return "a zip archive"
            case .bzip2: return "a bzip2-compressed file"
            case .xz: return "an xz-compressed file"
            case .lz4: return "an lz4-compressed file"
            }
        }
    }

    /// The next step, with the file's own path in the command.
    public func advice(path: String) -> String {
        switch self {
        case .compressed(let c):
            let command: String
            switch c {
            case .gzip: command = "gunzip -k \(path)"
            case .zstd: command = "zstd -d \(path)"
            case .zip: command = "unzip \(path)"
            case .bzip2: command = "bunzip2 -k \(path)"
            case .xz: command = "unxz -k \(path)"
            case .lz4: command = "lz4 -d \(path)"
            }
            return "decompress it first (\(command)) and pass the capture inside"
        default:
            return "open it in Wireshark and save it as pcapng (or run: editcap -F pcapng \(path) out.pcapng), then pass that file"
        }
    }

    /// The foreign format the head starts with, or nil.
    static func recognise(_ head: UnsafeRawBufferPointer) -> ForeignCapture? {
        func starts(_ magic: [UInt8]) -> Bool {
            guard head.count >= magic.count else { return false }
            for i in 0..<magic.count where head[i] != magic[i] { return false }
            return true
        }
        if starts([0x52, 0x54, 0x53, 0x53]) || starts([0x47, 0x4D, 0x42, 0x55]) { return .networkMonitor }
        if starts(Array("snoop".utf8) + [0, 0, 0]) { return .snoop }
        if starts([0xA1, 0xB2, 0xCD, 0x34]) || starts([0x34, 0xCD, 0xB2, 0xA1]) { return .kuznetzovPcap }
        if starts([0xA1, 0x2B, 0x3C, 0x4D]) || starts([0x4D, 0x3C, 0x2B, 0xA1]) { return .navtelPcap }
        if starts([0x1C, 0x00, 0x01, 0xAC]) || starts([0xAC, 0x01, 0x00, 0x1C])
            || starts([0x1C, 0x00, 0x01, 0xAB]) || starts([0xAB, 0x01, 0x00, 0x1C]) { return .ixiaPcap }
        if starts([0x58, 0x43, 0x50, 0x00]) || starts([0x56, 0x4C, 0x00, 0x00]) { return .netXRay }
        if starts(Array("TRSNIFF data    ".utf8) + [0x1A]) { return .sniffer }
        if starts([0x1F, 0x8B]) { return .compressed(.gzip) }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .compressed(.zstd) }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return .compressed(.zip) }
        if starts([0x42, 0x5A, 0x68]) { return .compressed(.bzip2) }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .compressed(.xz) }
        if starts([0x04, 0x22, 0x4D, 0x18]) { return .compressed(.lz4) }
        if looksLikeERF(head) { return .endaceERF }
        return nil
    }

    /// ERF records: an 8-byte little-endian fixed-point time, a type, flags,
    /// then big-endian record and wire lengths. Like libtrace's probe and
    /// Wireshark's erf_open, trust it only when the first records (up to
    /// three, all of those in the head) agree: a time after 1995, a known
    /// type, a record length that covers the header, and times in order
    /// within an hour of the first. Without that last check one buffer of
    /// random bytes in twelve passed for ERF (a time and a type each pass
    /// by chance often; two times an hour apart almost never do).
    static func looksLikeERF(_ head: UnsafeRawBufferPointer) -> Bool {
        var at = 0, records = 0
        var previous: UInt64 = 0, first: UInt64 = 0
        while records < 3, at + 16 <= head.count {
            var ts: UInt64 = 0
            for i in (0..<8).reversed() { ts = ts << 8 | UInt64(head[at + i]) }
            let seconds = ts >> 32
            // 1995-01-01 to 2100-01-01.
            guard seconds >= 788_918_400, seconds < 4_102_444_800 else { return false }
            if records == 0 {
                first = seconds
            } else {
                guard ts >= previous, seconds - first <= 3600 else { return false }
            }
            previous = ts
            let type = head[at + 8] & 0x7F
            guard type >= 1, type <= 48 else { return false }
            let rlen = Int(head[at + 10]) << 8 | Int(head[at + 11])
            let wlen = Int(head[at + 14]) << 8 | Int(head[at + 15])
            guard rlen >= 16, wlen <= 65_535 else { return false }
            records += 1
            at += rlen
        }
        // One record alone, unconfirmed by a second, is too weak a signal,
        // unless it is the whole file.
        return records >= 2 || (records == 1 && at == head.count)
    }
}
