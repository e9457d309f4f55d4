extension PacketBuilder {
    /// An 802.1Q tag; `tpid` 0x88A8 (or the older 0x9100) makes it a QinQ outer tag.
    public struct VLANTag: Sendable, Hashable {
        public var id: UInt16
        public var tpid: UInt16

        public init(_ id: UInt16, tpid: UInt16 = 0x8100) {
            self.id = id
            self.tpid = tpid
        }
    }

    /// The link-layer header to put in front of an IP packet.
    public enum Link: Sendable, Hashable {
        /// Ethernet II, with VLAN tags outermost first.
        case ethernet(vlans: [VLANTag] = [])
        /// Linux cooked capture v1 (SLL, 16 bytes).
        case linuxCooked
        /// Linux cooked capture v2 (SLL2, 20 bytes).
        case linuxCooked2
        /// BSD loopback: the address family in the capturing host's byte order
        /// (AF_INET6 as macOS numbers it, 30).
        case bsdNull(bigEndian: Bool = false)
        /// OpenBSD loopback: the address family in network order (AF_INET6 24).
        case openBSDLoop
        /// No link header; `linkType` is 101 (raw), 228 (IPv4), 229 (IPv6) or the historical 12/14.
        case raw(LinkType = .raw)

        public var linkType: LinkType {
            switch self {
            case .ethernet: return .ethernet
            case .linuxCooked: return .linuxSLL
            case .linuxCooked2: return .linuxSLL2
            case .bsdNull: return .null
            case .openBSDLoop: return .loop
            case .raw(let type): return type
            }
        }
    }

    /// The frame as a capture stores it: `link`'s header, then the packet.
    public static func frame(_ packet: [UInt8], link: Link = .ethernet()) -> [UInt8] {
        let isIPv6 = packet.first.map { $0 >> 4 == 6 } ?? false
        let etherType: UInt16 = isIPv6 ? 0x86DD : 0x0800
        switch link {
        case .ethernet(let vlans):
            var h: [UInt8] = [0x00, 0x1B, 0x21, 0x0A, 0x0B, 0x0C, 0x00, 0x1B, 0x21, 0x0D, 0x0E, 0x0F]
            for tag in vlans { h += be16(tag.tpid) + be16(tag.id & 0x0FFF) }
            return h + be16(etherType) + packet
        case .linuxCooked:
            // Sent by us (4), ARPHRD_ETHER (1), 6-byte address padded to 8.
            return [0, 4, 0, 1, 0, 6, 0x00, 0x1B, 0x21, 0x0A, 0x0B, 0x0C, 0, 0] + be16(etherType) + packet
        case .linuxCooked2:
            return be16(etherType) + [0, 0] + be32(2) + [0, 1, 4, 6] + [0x00, 0x1B, 0x21, 0x0A, 0x0B, 0x0C, 0, 0] + packet
        case .bsdNull(let bigEndian):
            let family: UInt32 = isIPv6 ? 30 : 2
            return (bigEndian ? be32(family) : le32(family)) + packet
        case .openBSDLoop:
            return be32(isIPv6 ? 24 : 2) + packet
        case .raw:
            return packet
        }
    }
}
