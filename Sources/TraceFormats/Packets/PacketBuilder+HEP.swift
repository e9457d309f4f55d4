extension PacketBuilder {
    /// A HEP3 envelope (github.com/sipcapture/HEP) around `payload`, as a
    /// capture agent sends it; put it in `udp` (or a TCP stream) to any port.
    /// `compressed` writes the payload as chunk 0x0010 instead of 0x000f.
    public static func hep3(from source: SocketAddress, to destination: SocketAddress,
                            transport: TransportPayload.Transport = .udp, timestampNanos: Int64,
                            captureID: UInt32 = 2001, protocolType: UInt8 = 1, payload: [UInt8],
                            compressed: Bool = false) -> [UInt8] {
        func chunk(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
            [0, 0] + be16(type) + be16(UInt16(truncatingIfNeeded: 6 + value.count)) + value
        }
        let isIPv6 = source.address.isIPv6
        var body = chunk(1, [isIPv6 ? 10 : 2]) + chunk(2, [transport == .tcp ? 6 : 17])
        body += chunk(isIPv6 ? 5 : 3, bytes(of: source.address)) + chunk(isIPv6 ? 6 : 4, bytes(of: destination.address))
        body += chunk(7, be16(source.port)) + chunk(8, be16(destination.port))
        let seconds = timestampNanos / 1_000_000_000, micros = (timestampNanos % 1_000_000_000) / 1000
        body += chunk(9, be32(UInt32(truncatingIfNeeded: seconds))) + chunk(10, be32(UInt32(truncatingIfNeeded: micros)))
        body += chunk(11, [protocolType]) + chunk(12, be32(captureID))
        body += chunk(compressed ? 0x10 : 0x0F, payload)
        return Array("HEP3".utf8) + be16(UInt16(truncatingIfNeeded: 6 + body.count)) + body
    }

    /// A HEP v1 or v2 envelope: the fixed header of captagent's
    /// `struct hep_hdr`, then for v2 the time header written little-endian
    /// from an x86 sender's `struct hep_timehdr` (padded to 12 bytes).
    public static func hep2(from source: SocketAddress, to destination: SocketAddress,
                            transport: TransportPayload.Transport = .udp, timestampNanos: Int64,
                            captureID: UInt16 = 2001, payload: [UInt8], version: UInt8 = 2) -> [UInt8] {
        let isIPv6 = source.address.isIPv6
        var h: [UInt8] = [version, UInt8(8 + (isIPv6 ? 32 : 8)), isIPv6 ? 10 : 2, transport == .tcp ? 6 : 17]
        h += be16(source.port) + be16(destination.port)
        h += bytes(of: source.address) + bytes(of: destination.address)
        if version == 2 {
            let seconds = timestampNanos / 1_000_000_000, micros = (timestampNanos % 1_000_000_000) / 1000
            h += le32(UInt32(truncatingIfNeeded: seconds)) + le32(UInt32(truncatingIfNeeded: micros))
            h += [UInt8(captureID & 0xFF), UInt8(captureID >> 8), 0, 0]
        }
        return h + payload
    }
}
