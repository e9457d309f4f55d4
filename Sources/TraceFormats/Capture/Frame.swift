/// One captured link-layer frame, as a capture file holds it.
///
/// `data` is borrowed from the reader's buffer: it is valid only until the
/// reader is asked for the next frame, which is what lets a 2 GB capture
/// stream through a fixed buffer. Copy what must outlive that.
public struct Frame {
    /// Position in the capture, from 1 (Wireshark's frame number).
    public var number: Int
    /// Nanoseconds since the Unix epoch.
    public var timestampNanos: Int64
    public var linkType: LinkType
    /// Length on the wire; larger than `data.count` when the snap length cut it.
    public var originalLength: Int
    /// Index of the pcapng interface (0 for pcap).
    public var interface: Int
    public var data: UnsafeRawBufferPointer

    public init(number: Int, timestampNanos: Int64, linkType: LinkType, originalLength: Int, interface: Int = 0, data: UnsafeRawBufferPointer) {
        self.number = number
        self.timestampNanos = timestampNanos
        self.linkType = linkType
        self.originalLength = originalLength
        self.interface = interface
        self.data = data
    }

    /// Seconds since the Unix epoch, as `CapturedMessage.timestamp` wants them.
    public var seconds: Double { Double(timestampNanos) / 1e9 }
}

/// A LINKTYPE_ value of the tcpdump.org registry (what pcap and pcapng
/// store), not a platform DLT_ value.
public struct LinkType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// BSD loopback: a 4-byte address family in the host's byte order.
    public static let null = LinkType(rawValue: 0)
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IPv4 or IPv6, told apart by the version nibble.
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback: the address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    public static let linuxSLL = LinkType(rawValue: 113)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    public static let linuxSLL2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: return "BSD loopback (0)"
        case .ethernet: return "Ethernet (1)"
        case .raw: return "raw IP (101)"
        case .loop: return "OpenBSD loopback (108)"
        case .linuxSLL: return "Linux cooked v1 (113)"
        case .ipv4: return "raw IPv4 (228)"
        case .ipv6: return "raw IPv6 (229)"
        case .linuxSLL2: return "Linux cooked v2 (276)"
        default: return "link type \(rawValue)"
        }
    }
}
