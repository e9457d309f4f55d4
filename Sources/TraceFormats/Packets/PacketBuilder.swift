/// Builds the bytes of captured frames: link header, IPv4 or IPv6 (with
/// extension headers, fragments, tunnels), UDP or TCP, HEP envelopes.
///
/// For tests, the benchmark and the fixture generator: what it writes is
/// what the wire carries (lengths and checksums right), so a capture built
/// with it opens cleanly in Wireshark too. Each function returns a whole
/// packet, to be wrapped by the next layer out and finally by `frame`.
public enum PacketBuilder {
    // MARK: IP

    public static func ipv4(from source: NetAddress, to destination: NetAddress, protocol proto: UInt8, payload: [UInt8],
                            identification: UInt16 = 0, ttl: UInt8 = 64, options: [UInt8] = []) -> [UInt8] {
        precondition(!source.isIPv6 && !destination.isIPv6, "IPv4 header with an IPv6 address")
        let padded = options + [UInt8](repeating: 0, count: (4 - options.count % 4) % 4)
        let headerLength = 20 + padded.count
        precondition(headerLength <= 60, "IPv4 options over 40 bytes")
        var h: [UInt8] = [0x40 | UInt8(headerLength / 4), 0]
        h += be16(UInt16(truncatingIfNeeded: headerLength + payload.count))
        h += be16(identification) + [0, 0, ttl, proto, 0, 0]
        h += bytes(of: source) + bytes(of: destination) + padded
        setChecksum(&h, at: 10, over: h)
        return h + payload
    }

    /// An IPv6 extension header, placed in order between the fixed header
    /// and the upper protocol.
    public struct IPv6Extension: Sendable, Hashable {
        public var type: UInt8
        /// The bytes after the Next Header and length fields, padded as needed.
        public var body: [UInt8]

        public init(type: UInt8, body: [UInt8] = []) {
            self.type = type
            self.body = body
        }

        public static let hopByHop = IPv6Extension(type: 0)
        /// Routing type 4 (segment routing) would need segments; a type 0
        /// header with no segments left is valid to pass over.
        public static let routing = IPv6Extension(type: 43, body: [0, 0])
        public static let destinationOptions = IPv6Extension(type: 60)
        public static let mobility = IPv6Extension(type: 135)
        /// AH with a 12-byte integrity check value (HMAC-SHA1-96).
        public static let authentication = IPv6Extension(type: 51, body: [UInt8](repeating: 0xA5, count: 22))

        func bytes(next: UInt8) -> [UInt8] {
            if type == 51 {
                // RFC 4302: length in 4-byte units minus 2; IPv6 wants 8-byte alignment.
                var b = body
                while (b.count + 2) % 8 != 0 { b.append(0) }
                return [next, UInt8((b.count + 2) / 4 - 2)] + b
            }
            var b = body
            // Pad1/PadN options keep it a multiple of 8 (RFC 8200 4.2).
            let pad = (8 - (b.count + 2) % 8) % 8
            if pad == 1 { b.append(0) } else if pad > 1 { b += [1, UInt8(pad - 2)] + [UInt8](repeating: 0, count: pad - 2) }
            return [next, UInt8((b.count + 2) / 8 - 1)] + b
        }
    }

    public static func ipv6(from source: NetAddress, to destination: NetAddress, nextHeader: UInt8, payload: [UInt8],
                            extensions: [IPv6Extension] = [], hopLimit: UInt8 = 64) -> [UInt8] {
        precondition(source.isIPv6 && destination.isIPv6, "IPv6 header with an IPv4 address")
        var chain: [UInt8] = []
        for (i, ext) in extensions.enumerated() {
            chain += ext.bytes(next: i + 1 < extensions.count ? extensions[i + 1].type : nextHeader)
        }
        let first = extensions.first?.type ?? nextHeader
        var h: [UInt8] = [0x60, 0, 0, 0]
        h += be16(UInt16(truncatingIfNeeded: chain.count + payload.count)) + [first, hopLimit]
        h += bytes(of: source) + bytes(of: destination)
        return h + chain + payload
    }

    /// IPv4 or IPv6, as the addresses are.
    public static func ip(from source: NetAddress, to destination: NetAddress, protocol proto: UInt8, payload: [UInt8],
                          identification: UInt16 = 0, extensions: [IPv6Extension] = []) -> [UInt8] {
        source.isIPv6
            ? ipv6(from: source, to: destination, nextHeader: proto, payload: payload, extensions: extensions)
            : ipv4(from: source, to: destination, protocol: proto, payload: payload, identification: identification)
    }

    /// IP inside IP: protocol 4 for an inner IPv4 packet, 41 for IPv6.
    public static func ipInIP(_ inner: [UInt8], from source: NetAddress, to destination: NetAddress) -> [UInt8] {
        ip(from: source, to: destination, protocol: inner.first.map { $0 >> 4 == 6 ? 41 : 4 } ?? 4, payload: inner)
    }

    /// GRE (RFC 2784/2890) carrying an IP packet, with an optional key.
    public static func gre(_ inner: [UInt8], from source: NetAddress, to destination: NetAddress, key: UInt32? = nil) -> [UInt8] {
        var g: [UInt8] = [key == nil ? 0 : 0x20, 0] + be16(inner.first.map { $0 >> 4 == 6 ? 0x86DD : 0x0800 } ?? 0x0800)
        if let key { g += be32(key) }
        return ip(from: source, to: destination, protocol: 47, payload: g + inner)
    }

    // MARK: Fragments

    /// Splits an IP packet into `count` fragments (fewer when its payload
    /// is too short), in order; IPv6 fragments carry a fragment header
    /// after the hop-by-hop and routing headers.
    public static func fragments(of packet: [UInt8], count: Int, identification: UInt32 = 0x5EED) -> [[UInt8]] {
        guard let version = packet.first.map({ $0 >> 4 }), count > 1 else { return [packet] }
        let (unfragmentable, nextHeaderAt) = version == 6 ? ipv6Unfragmentable(packet) : (Int(packet[0] & 0x0F) * 4, 9)
        let data = Array(packet[unfragmentable...])
        let chunk = max(8, (data.count + count - 1) / count + 7) / 8 * 8
        var pieces: [[UInt8]] = []
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + chunk)
            let more = end < data.count
            var header = Array(packet[..<unfragmentable])
            if version == 6 {
                let following = header[nextHeaderAt]
                header[nextHeaderAt] = 44
                header += [following, 0] + be16(UInt16(offset) | (more ? 1 : 0)) + be32(identification)
                let payloadLength = header.count - 40 + (end - offset)
                header[4] = UInt8(payloadLength >> 8)
                header[5] = UInt8(payloadLength & 0xFF)
            } else {
                let total = unfragmentable + end - offset
                header[2] = UInt8(total >> 8)
                header[3] = UInt8(total & 0xFF)
                header[4] = UInt8((identification >> 8) & 0xFF)
                header[5] = UInt8(identification & 0xFF)
                let field = UInt16(offset / 8) | (more ? 0x2000 : 0)
                header[6] = UInt8(field >> 8)
                header[7] = UInt8(field & 0xFF)
                header[10] = 0
                header[11] = 0
                setChecksum(&header, at: 10, over: header)
            }
            pieces.append(header + data[offset..<end])
            offset = end
        }
        return pieces
    }

    /// The length of the part every IPv6 fragment repeats, and where the
    /// Next Header field that must point to the fragment header sits.
    private static func ipv6Unfragmentable(_ p: [UInt8]) -> (Int, Int) {
        var at = 40, nextAt = 6
        while at + 2 <= p.count, p[nextAt] == 0 || p[nextAt] == 43 {
            nextAt = at
            at += (Int(p[at + 1]) + 1) * 8
        }
        return (min(at, p.count), nextAt)
    }

    // MARK: Transport

    public static func udp(from source: SocketAddress, to destination: SocketAddress, payload: [UInt8],
                           identification: UInt16 = 0, extensions: [IPv6Extension] = []) -> [UInt8] {
        var u = be16(source.port) + be16(destination.port) + be16(UInt16(truncatingIfNeeded: 8 + payload.count)) + [0, 0]
        u += payload
        setTransportChecksum(&u, at: 6, proto: 17, source.address, destination.address)
        // RFC 768: a computed 0 is sent as all ones.
        if u[6] == 0 && u[7] == 0 { u[6] = 0xFF; u[7] = 0xFF }
        return ip(from: source.address, to: destination.address, protocol: 17, payload: u,
                  identification: identification, extensions: extensions)
    }

    public struct TCPFlags: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let fin = TCPFlags(rawValue: 0x01)
        public static let syn = TCPFlags(rawValue: 0x02)
        public static let rst = TCPFlags(rawValue: 0x04)
        public static let psh = TCPFlags(rawValue: 0x08)
        public static let ack = TCPFlags(rawValue: 0x10)
    }

    public static func tcp(from source: SocketAddress, to destination: SocketAddress, seq: UInt32, ack: UInt32 = 0,
                           flags: TCPFlags = [.ack, .psh], payload: [UInt8] = [], window: UInt16 = 65_535,
                           identification: UInt16 = 0) -> [UInt8] {
        var t = be16(source.port) + be16(destination.port) + be32(seq) + be32(ack)
        t += [0x50, flags.rawValue] + be16(window) + [0, 0, 0, 0]
        t += payload
        setTransportChecksum(&t, at: 16, proto: 6, source.address, destination.address)
        return ip(from: source.address, to: destination.address, protocol: 6, payload: t, identification: identification)
    }

    // MARK: Bytes

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func le32(_ v: UInt32) -> [UInt8] { be32(v).reversed() }

    static func bytes(of address: NetAddress) -> [UInt8] {
        guard address.isIPv6 else { return be32(UInt32(truncatingIfNeeded: address.low)) }
        return be32(UInt32(address.high >> 32)) + be32(UInt32(truncatingIfNeeded: address.high))
            + be32(UInt32(address.low >> 32)) + be32(UInt32(truncatingIfNeeded: address.low))
    }

    private static func setChecksum(_ bytes: inout [UInt8], at: Int, over covered: [UInt8]) {
        var sum = InternetChecksum()
        sum.add(covered)
        bytes[at] = UInt8(sum.value >> 8)
        bytes[at + 1] = UInt8(sum.value & 0xFF)
    }

    /// UDP and TCP checksums cover a pseudo-header of the IP addresses
    /// (RFC 768, RFC 8200 8.1).
    private static func setTransportChecksum(_ segment: inout [UInt8], at: Int, proto: UInt8, _ source: NetAddress, _ destination: NetAddress) {
        var sum = InternetChecksum()
        sum.add(bytes(of: source))
        sum.add(bytes(of: destination))
        if source.isIPv6 { sum.add32(UInt32(segment.count)); sum.add32(UInt32(proto)) } else { sum.add16(UInt16(proto)); sum.add16(UInt16(truncatingIfNeeded: segment.count)) }
        sum.add(segment)
        segment[at] = UInt8(sum.value >> 8)
        segment[at + 1] = UInt8(sum.value & 0xFF)
    }
}
