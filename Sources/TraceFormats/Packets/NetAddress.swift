import SIPCore

/// An IPv4 or IPv6 address in two words: cheap to hash and compare for
/// every packet of a capture, unlike SIPCore's text-parsed `IPAddress`.
public struct NetAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// IPv6 as two big-endian halves; IPv4 in the low 32 bits of `low`.
    public var high: UInt64
    public var low: UInt64
    public var isIPv6: Bool

    public init(ipv4: UInt32) {
        high = 0
        low = UInt64(ipv4)
        isIPv6 = false
    }

    public init(ipv6High: UInt64, low: UInt64) {
        high = ipv6High
        self.low = low
        isIPv6 = true
    }

    /// Reads 4 or 16 bytes at `offset` (the caller checked the bounds).
    public init(bytes: UnsafeRawBufferPointer, offset: Int, isIPv6: Bool) {
        func word(_ at: Int, _ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<n { v = v << 8 | UInt64(bytes[at + i]) }
            return v
        }
        if isIPv6 {
            self.init(ipv6High: word(offset, 8), low: word(offset + 8, 8))
        } else {
            self.init(ipv4: UInt32(word(offset, 4)))
        }
    }

    /// Parses dotted IPv4 or IPv6 text, as SDP and Via carry it.
    public init?(_ text: String) {
        guard let ip = IPAddress(text) else { return nil }
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<8 { h = h << 8 | UInt64(ip.bytes[i]) }
        for i in 8..<16 { l = l << 8 | UInt64(ip.bytes[i]) }
        if ip.isIPv4 { self.init(ipv4: UInt32(truncatingIfNeeded: l)) } else { self.init(ipv6High: h, low: l) }
    }

    public var description: String {
        if !isIPv6 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF).\(v & 0xFF)"
        }
        var groups: [UInt16] = []
        for w in [high, low] { for s in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: w >> UInt64(s))) } }
        // RFC 5952: the longest run of two or more zero groups becomes "::".
        var best = (start: -1, length: 0), run = (start: -1, length: 0)
        for (i, g) in groups.enumerated() {
            if g == 0 {
                run = run.start < 0 ? (i, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        func hex(_ g: ArraySlice<UInt16>) -> String { g.map { String($0, radix: 16) }.joined(separator: ":") }
        guard best.length >= 2 else { return hex(groups[...]) }
        return hex(groups[..<best.start]) + "::" + hex(groups[(best.start + best.length)...])
    }

    public static func < (a: NetAddress, b: NetAddress) -> Bool {
        (a.isIPv6 ? 1 : 0, a.high, a.low) < (b.isIPv6 ? 1 : 0, b.high, b.low)
    }
}

/// An address and port: one end of a UDP or TCP flow.
public struct SocketAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var address: NetAddress
    public var port: UInt16

    public init(_ address: NetAddress, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    public var endpoint: Endpoint { Endpoint(host: address.description, port: Int(port)) }
    public var description: String { endpoint.description }

    public static func < (a: SocketAddress, b: SocketAddress) -> Bool { (a.address, a.port) < (b.address, b.port) }
}

/// A direction of a flow: who sent to whom.
public struct FlowKey: Sendable, Hashable {
    public var source: SocketAddress
    public var destination: SocketAddress

    public init(source: SocketAddress, destination: SocketAddress) {
        self.source = source
        self.destination = destination
    }

    public var reversed: FlowKey { FlowKey(source: destination, destination: source) }
}
