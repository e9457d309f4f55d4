/// One IPv4 or IPv6 header, read: who sent it to whom, what it carries and
/// where that starts.
struct IPPacket {
    /// Where this packet sits in its original datagram, when it is a fragment.
    struct Fragment {
        var identification: UInt32
        /// In bytes.
        var offset: Int
        var more: Bool
    }

    var source: NetAddress
    var destination: NetAddress
    /// The upper protocol (IPv6: after the extension headers; for an IPv6
    /// fragment, the Next Header of its fragment header).
    var proto: UInt8
    /// Within the bytes that were parsed.
    var payload: Range<Int>
    var fragment: Fragment?
    /// The length field promised more than was captured.
    var cut: Bool
}

enum IPParse {
    case packet(IPPacket)
    case skip(SkipReason, PacketIssue?)
}

enum IPv4Header {
    /// RFC 791. The header checksum is not verified: captures taken on the
    /// sending host show checksums the NIC fills in later.
    static func parse(_ b: UnsafeRawBufferPointer) -> IPParse {
        guard b.count >= 20 else { return .skip(.truncated, .truncated(.ipv4)) }
        guard b[0] >> 4 == 4 else { return .skip(.malformed, .malformed(.ipv4)) }
        let headerLength = Int(b[0] & 0x0F) * 4
        guard headerLength >= 20 else { return .skip(.malformed, .malformed(.ipv4)) }
        guard headerLength <= b.count else { return .skip(.truncated, .truncated(.ipv4)) }
        var total = Int(b.be16(2))
        // 0 is what a capture on a host with TCP segmentation offload shows
        // for the large segments handed to the NIC: the frame is the length.
        if total == 0 { total = b.count }
        guard total >= headerLength else { return .skip(.malformed, .malformed(.ipv4)) }
        let flagsAndOffset = b.be16(6)
        let more = flagsAndOffset & 0x2000 != 0
        let offset = Int(flagsAndOffset & 0x1FFF) * 8
        let fragment = more || offset > 0
            ? IPPacket.Fragment(identification: UInt32(b.be16(4)), offset: offset, more: more) : nil
        return .packet(IPPacket(source: NetAddress(ipv4: b.be32(12)), destination: NetAddress(ipv4: b.be32(16)),
                                proto: b[9], payload: headerLength..<min(total, b.count),
                                fragment: fragment, cut: total > b.count))
    }
}

enum IPv6Header {
    static let maxExtensionHeaders = 16

    /// RFC 8200, with the extension headers of its section 4 plus AH
    /// (RFC 4302), mobility (RFC 6275), HIP (RFC 7401) and shim6 (RFC 5533).
    static func parse(_ b: UnsafeRawBufferPointer) -> IPParse {
        guard b.count >= 40 else { return .skip(.truncated, .truncated(.ipv6)) }
        guard b[0] >> 4 == 6 else { return .skip(.malformed, .malformed(.ipv6)) }
        let payloadLength = Int(b.be16(4))
        // 0: a jumbogram (RFC 2675) or a TSO capture; the frame is the length.
        let total = payloadLength == 0 ? b.count : 40 + payloadLength
        let end = min(total, b.count)
        var packet = IPPacket(source: b.address(8, isIPv6: true), destination: b.address(24, isIPv6: true),
                              proto: 0, payload: 40..<end, fragment: nil, cut: total > b.count)
        var next = b[6], at = 40
        for _ in 0..<maxExtensionHeaders {
            switch next {
            case 44:
                guard at + 8 <= end else { return .skip(.truncated, .truncated(.ipv6)) }
                let field = b.be16(at + 2)
                let offset = Int(field & 0xFFF8), more = field & 1 != 0
                let following = b[at]
                if offset > 0 || more {
                    packet.proto = following
                    packet.payload = (at + 8)..<end
                    packet.fragment = IPPacket.Fragment(identification: b.be32(at + 4), offset: offset, more: more)
                    return .packet(packet)
                }
                // An atomic fragment (RFC 6946): a whole packet; read on.
                next = following
                at += 8
            default:
                switch walk(b, next: next, at: at, end: end) {
                case .upper(let proto, let start):
                    packet.proto = proto
                    packet.payload = start..<end
                    return .packet(packet)
                case .fragmentHeader(let at2):
                    next = 44
                    at = at2
                case .skip(let reason, let issue):
                    return .skip(reason, issue)
                }
            }
        }
        return .skip(.malformed, .malformed(.ipv6))
    }

    enum Walk {
        case upper(proto: UInt8, at: Int)
        case fragmentHeader(at: Int)
        case skip(SkipReason, PacketIssue?)
    }

    /// Steps over extension headers from `next` at `at` until an upper
    /// protocol or a fragment header. Also used on a reassembled payload,
    /// whose first fragment may start with destination options.
    static func walk(_ b: UnsafeRawBufferPointer, next first: UInt8, at start: Int, end: Int) -> Walk {
        var next = first, at = start
        for _ in 0..<maxExtensionHeaders {
            switch next {
            case 0, 43, 60, 135, 139, 140:
                // Hop-by-hop, routing, destination options, mobility, HIP, shim6: length in 8-byte units, not counting the first.
                guard at + 2 <= end else { return .skip(.truncated, .truncated(.ipv6)) }
                let length = (Int(b[at + 1]) + 1) * 8
                guard at + length <= end else { return .skip(.truncated, .truncated(.ipv6)) }
                next = b[at]
                at += length
            case 51:
                // AH counts 4-byte units, minus 2 (RFC 4302 2.2).
                guard at + 2 <= end else { return .skip(.truncated, .truncated(.ipv6)) }
                let length = (Int(b[at + 1]) + 2) * 4
                guard at + length <= end else { return .skip(.truncated, .truncated(.ipv6)) }
                next = b[at]
                at += length
            case 44:
                return .fragmentHeader(at: at)
            case 50:
                return .skip(.encrypted, .encrypted)
            case 59:
                // No Next Header: nothing follows.
                return .skip(.otherProtocol, nil)
            default:
                return .upper(proto: next, at: at)
            }
        }
        return .skip(.malformed, .malformed(.ipv6))
    }
}
