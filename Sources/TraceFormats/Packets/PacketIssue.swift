/// Something in a capture the decoder could not read whole. Issues are
/// counted, not listed one by one: a capture with a million ARP frames or
/// a flood of fragments gives one line each, with the count and the first
/// frame where it happened, so the user can look it up in Wireshark.
enum PacketIssue: Hashable, Sendable {
    enum Layer: String, Sendable {
        case link, ipv4 = "IPv4", ipv6 = "IPv6", udp = "UDP", tcp = "TCP", gre = "GRE", hep = "HEP"
    }

    case unknownLinkType(UInt32)
    case etherType(UInt16)
    case addressFamily(UInt32)
    case tooManyVLANTags
    case truncated(Layer)
    case malformed(Layer)
    /// The IP length says more than the frame holds: the snap length cut it.
    case snapLengthCut
    case encrypted
    case tunnelTooDeep
    case fragmentOverlap
    case fragmentTooLarge
    case fragmentsIncomplete
    case fragmentTableFull
    case tcpGap
    case tcpOverflow
    case tcpIncomplete
    case tcpNotSIPBetweenMessages
    case tcpStreamsEvicted
    case tcpTLS
    case hepCompressed
    case hepProtocolType(UInt8)
    case hepNoAddresses
    /// Stands for every issue past `Limits.maxWarnings` distinct ones.
    case other

    func text(count: Int, firstFrame: Int, limits: PacketDecoder.Limits) -> String {
        func n(_ noun: String) -> String { count == 1 ? "1 \(noun)" : "\(count) \(noun)s" }
        let first = " (first: frame \(firstFrame))"
        switch self {
        case .unknownLinkType(let t):
            return n("frame") + " with an unsupported link type (\(LinkType(rawValue: t))) skipped" + first
        case .etherType(let t):
            return n("frame") + " of EtherType 0x" + hex(UInt64(t), digits: 4) + " skipped: not IP" + first
        case .addressFamily(let f):
            return n("loopback frame") + " with address family \(f) skipped: not IPv4 or IPv6" + first
        case .tooManyVLANTags:
            return n("frame") + " with more than \(LinkLayer.maxVLANTags) VLAN tags skipped" + first
        case .truncated(let layer):
            return n("frame") + " cut inside the \(layer.rawValue) header skipped" + first
        case .malformed(let layer):
            return n("frame") + " with a malformed \(layer.rawValue) header skipped" + first
        case .snapLengthCut:
            return n("packet") + " cut short by the capture's snap length: their payload is incomplete; capture with -s 0 to keep whole packets" + first
        case .encrypted:
            return n("frame") + " encrypted with IPsec ESP skipped" + first
        case .tunnelTooDeep:
            return n("frame") + " with tunnels nested more than \(limits.maxTunnelDepth) deep skipped" + first
        case .fragmentOverlap:
            return n("IP fragment") + " overlapping bytes already received: the bytes captured first were kept" + first
        case .fragmentTooLarge:
            return n("fragmented datagram") + " larger than \(limits.maxDatagramBytes) bytes dropped" + first
        case .fragmentsIncomplete:
            return n("fragmented datagram") + " never completed (a fragment was not captured, or came more than \(limits.fragmentTimeoutNanos / 1_000_000_000) s later) dropped" + first
        case .fragmentTableFull:
            return n("incomplete fragmented datagram") + " dropped to stay within \(limits.maxPendingDatagrams) pending datagrams and \(limits.maxPendingFragmentBytes) bytes of fragments" + first
        case .tcpGap:
            return n("TCP gap") + " (bytes not captured): the message in progress was cut and the stream resumed at the next SIP start line" + first
        case .tcpOverflow:
            return n("TCP stream") + " holding over \(limits.maxStreamBuffer) bytes without a whole SIP message: dropped and resumed at the next SIP start line" + first
        case .tcpIncomplete:
            return n("TCP SIP message") + " cut by the end of the capture or of the connection: handed on without its full body" + first
        case .tcpNotSIPBetweenMessages:
            return n("TCP run") + " of bytes between SIP messages that were not SIP skipped" + first
        case .tcpStreamsEvicted:
            return n("TCP stream") + " evicted to stay within \(limits.maxStreams) open streams" + first
        case .tcpTLS:
            return n("TCP stream") + " carrying TLS ignored: SIP over TLS cannot be read from a capture" + first
        case .hepCompressed:
            return n("HEP packet") + " with a compressed payload (chunk 0x0010) skipped: decompression is not supported" + first
        case .hepProtocolType(let t):
            return n("HEP packet") + " of protocol type \(t) skipped: only SIP (1) and RTP (4) are read" + first
        case .hepNoAddresses:
            return n("HEP packet") + " without source and destination addresses skipped" + first
        case .other:
            return n("further issue") + " of other kinds not itemised" + first
        }
    }
}

private func hex(_ v: UInt64, digits: Int) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
}
