import TraceFormats

/// Puts UDP, IP and a link header around synthesized datagrams and writes
/// them as capture records: a SIP message over the MTU goes out as IP
/// fragments, as it does on a real network.
public struct CaptureComposer {
    public var link: PacketBuilder.Link
    public var mtu: Int

    public init(link: PacketBuilder.Link = .ethernet(), mtu: Int = 1_500) {
        self.link = link
        self.mtu = mtu
    }

    /// The frames of one datagram (several when it is fragmented).
    public func frames(_ p: SynthPacket, identification: UInt16) -> [[UInt8]] {
        let packet = PacketBuilder.udp(from: p.source, to: p.destination, payload: p.payload, identification: identification)
        guard packet.count > mtu else { return [PacketBuilder.frame(packet, link: link)] }
        let pieces = (packet.count + mtu - 41) / (mtu - 40)
        return PacketBuilder.fragments(of: packet, count: pieces, identification: UInt32(identification))
            .map { PacketBuilder.frame($0, link: link) }
    }

    public func write(_ packets: [SynthPacket], to writer: PcapWriter) throws(CaptureError) {
        for (i, p) in packets.enumerated() {
            for f in frames(p, identification: UInt16(truncatingIfNeeded: i + 1)) {
                try writer.append(timestampNanos: p.timestampNanos, data: f)
            }
        }
    }

    /// A whole pcap in memory.
    public func pcap(_ packets: [SynthPacket]) throws(CaptureError) -> [UInt8] {
        let writer = try PcapWriter(linkType: link.linkType, nanosecond: true)
        try write(packets, to: writer)
        return writer.bytes
    }
}
