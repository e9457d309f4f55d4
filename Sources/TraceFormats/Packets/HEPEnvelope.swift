/// A HEP (Homer Encapsulation Protocol) envelope: a capture agent's copy of
/// a packet, with the original addresses, ports and time.
///
/// Layouts checked against the HEP3 specification
/// (github.com/sipcapture/HEP, HEP3_rev12), sipcapture's hep-wireshark
/// dissector (lua/hep.lua), sngrep's packet_hep.h and the v1/v2 senders of
/// captagent and Kamailio's sipcapture module.
struct HEPEnvelope {
    var flow: FlowKey
    var transport: TransportPayload.Transport
    /// The agent's capture time, when the envelope carries one.
    var timestampNanos: Int64?
    var payload: Range<Int>

    enum Parse {
        case notHEP
        case skip(PacketIssue)
        case envelope(HEPEnvelope)
    }

    /// Recognises HEP by content, on any port: v3 by its "HEP3" magic, v1
    /// and v2 (which have no magic) by a plausible fixed header followed by
    /// a SIP start line, the only thing those versions carried.
    static func parse(_ b: UnsafeRawBufferPointer) -> Parse {
        guard b.count >= 6 else { return .notHEP }
        if b[0] == UInt8(ascii: "H") {
            return b.be32(0) == 0x4845_5033 ? parseV3(b) : .notHEP
        }
        if b[0] == 1 || b[0] == 2 { return parseV2(b) }
        return .notHEP
    }

    // MARK: HEP v3

    /// "HEP3", total length (u16), then chunks: vendor (u16), type (u16),
    /// length (u16, counting these 6 bytes), value. Vendor 0 types:
    /// 1 IP family, 2 IP protocol, 3/4 IPv4 source/destination, 5/6 IPv6
    /// source/destination, 7/8 ports, 9 seconds, 10 microseconds, 11
    /// protocol type, 12 capture agent id, 14 auth key, 15 payload,
    /// 16 compressed payload, 17 correlation id.
    private static func parseV3(_ b: UnsafeRawBufferPointer) -> Parse {
        let total = Int(b.be16(4))
        guard total >= 6 else { return .skip(.malformed(.hep)) }
        let end = min(total, b.count)
        var source4: NetAddress?, destination4: NetAddress?, source6: NetAddress?, destination6: NetAddress?
        var sourcePort: UInt16 = 0, destinationPort: UInt16 = 0
        var proto: UInt8?, protocolType: UInt8?
        var seconds: UInt32?, micros: UInt32 = 0
        var payload: Range<Int>?, compressed = false
        var at = 6
        while at + 6 <= end {
            let vendor = b.be16(at), type = b.be16(at + 2), length = Int(b.be16(at + 4))
            guard length >= 6, at + length <= end else {
                return .skip(at + length > b.count && total > b.count ? .truncated(.hep) : .malformed(.hep))
            }
            let value = (at + 6)..<(at + length)
            if vendor == 0 {
                switch (type, value.count) {
                case (2, 1): proto = b[value.lowerBound]
                case (3, 4): source4 = b.address(value.lowerBound, isIPv6: false)
                case (4, 4): destination4 = b.address(value.lowerBound, isIPv6: false)
                case (5, 16): source6 = b.address(value.lowerBound, isIPv6: true)
                case (6, 16): destination6 = b.address(value.lowerBound, isIPv6: true)
                case (7, 2): sourcePort = b.be16(value.lowerBound)
                case (8, 2): destinationPort = b.be16(value.lowerBound)
                case (9, 4): seconds = b.be32(value.lowerBound)
                case (10, 4): micros = b.be32(value.lowerBound)
                case (11, 1): protocolType = b[value.lowerBound]
                case (15, _): payload = value
                case (16, _): compressed = true
                default: break
                }
            }
            at += length
        }
        guard let payload else { return .skip(compressed ? .hepCompressed : .malformed(.hep)) }
        // 1 SIP; 4 RTP as raw packets. 5 (RTCP) and the QoS/log types carry
        // JSON reports, not packets, so they are not handed on.
        if let t = protocolType, t != 1, t != 4 { return .skip(.hepProtocolType(t)) }
        let addresses: (NetAddress, NetAddress)
        if let s = source4, let d = destination4 {
            addresses = (s, d)
        } else if let s = source6, let d = destination6 {
            addresses = (s, d)
        } else {
            return .skip(.hepNoAddresses)
        }
        let time = seconds.map { Int64($0) * 1_000_000_000 + Int64(min(micros, 999_999)) * 1000 }
        return .envelope(HEPEnvelope(
            flow: FlowKey(source: SocketAddress(addresses.0, sourcePort), destination: SocketAddress(addresses.1, destinationPort)),
            transport: proto == 6 ? .tcp : .udp, timestampNanos: time, payload: payload))
    }

    // MARK: HEP v1 / v2

    /// version (1 or 2), header length, family, protocol, source port,
    /// destination port (network order), then the two addresses; v2 adds
    /// seconds, microseconds and a 16-bit capture id, written from a C
    /// struct in the sender's byte order and padded to 12 bytes
    /// (captagent's `struct hep_timehdr`), before the payload.
    private static func parseV2(_ b: UnsafeRawBufferPointer) -> Parse {
        guard b.count >= 8 else { return .notHEP }
        let version = b[0], family = b[2], proto = b[3]
        let isIPv6: Bool
        switch family {
        case 2: isIPv6 = false
        case 10, 24, 28, 30: isIPv6 = true
        default: return .notHEP
        }
        guard proto == 17 || proto == 6 else { return .notHEP }
        let addressBytes = isIPv6 ? 32 : 8
        var at = 8 + addressBytes
        var time: Int64?
        if version == 2 {
            guard b.count >= at + 12 else { return .notHEP }
            time = plausibleTime(b, at: at)
            at += 12
        }
        guard at < b.count, looksLikeSIP(b, from: at) else { return .notHEP }
        let source = b.address(8, isIPv6: isIPv6), destination = b.address(8 + addressBytes / 2, isIPv6: isIPv6)
        return .envelope(HEPEnvelope(
            flow: FlowKey(source: SocketAddress(source, b.be16(4)), destination: SocketAddress(destination, b.be16(6))),
            transport: proto == 6 ? .tcp : .udp, timestampNanos: time, payload: at..<b.count))
    }

    /// v2 times are in the sender's byte order: little-endian from the x86
    /// agents that wrote nearly all of them, big-endian otherwise. The
    /// order that gives a date in 1990...2100 wins.
    private static func plausibleTime(_ b: UnsafeRawBufferPointer, at: Int) -> Int64? {
        for little in [true, false] {
            let seconds = little ? b.le32(at) : b.be32(at)
            let micros = little ? b.le32(at + 4) : b.be32(at + 4)
            if seconds >= 631_152_000, seconds <= 4_102_444_800, micros < 1_000_000 {
                return Int64(seconds) * 1_000_000_000 + Int64(micros) * 1000
            }
        }
        return nil
    }

    private static func looksLikeSIP(_ b: UnsafeRawBufferPointer, from: Int) -> Bool {
        var start = from
        while start < b.count, b[start] == 0x0D || b[start] == 0x0A { start += 1 }
        let limit = min(b.count, start + 1024)
        let end = SIPStreamFraming.endOfLine(b, from: start, limit: limit)
        return SIPStreamFraming.isStartLine(b, start..<end)
    }
}
