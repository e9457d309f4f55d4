/// Where the IP packet starts in a link-layer frame.
enum LinkPayload {
    case ipv4(at: Int)
    case ipv6(at: Int)
    case skip(SkipReason, PacketIssue?)
}

/// The link-layer headers a SIP capture comes with. The layouts follow the
/// tcpdump.org LINKTYPE_ registry (https://www.tcpdump.org/linktypes.html)
/// and Wireshark's wiretap/pcap-common.c for the historical values.
enum LinkLayer {
    static let maxVLANTags = 8

    static func payload(_ data: UnsafeRawBufferPointer, _ linkType: LinkType) -> LinkPayload {
        // Literal values rather than the LinkType constants: a static
        // constant is read through a lazy-initialisation check, per frame.
        switch linkType.rawValue {
        case 1:
            guard data.count >= 14 else { return .skip(.truncated, .truncated(.link)) }
            return etherType(data.be16(12), data, at: 14)
        case 113:
            // packet type, ARPHRD type, address length, 8 address bytes, protocol.
            guard data.count >= 16 else { return .skip(.truncated, .truncated(.link)) }
            return etherType(data.be16(14), data, at: 16)
        case 276:
            // protocol, reserved, interface index, ARPHRD type, packet type,
            // address length, 8 address bytes.
            guard data.count >= 20 else { return .skip(.truncated, .truncated(.link)) }
            return etherType(data.be16(0), data, at: 20)
        case 0, 108:
            return loopback(data)
        case 101, 228, 229:
            return rawIP(data)
        case 12, 14:
            // DLT_RAW as some platforms numbered it (12 on most, 14 on
            // OpenBSD and BSD/OS) and old writers stored; OpenBSD's 12 is its
            // DLT_LOOP, told apart here by the version nibble as Wireshark
            // does (wiretap/pcap-common.c).
            if case .skip = rawIP(data), data.count >= 4 { return loopback(data) }
            return rawIP(data)
        default:
            return .skip(.unknownLinkType, .unknownLinkType(linkType.rawValue))
        }
    }

    /// An EtherType at `at - 2`, after any number of 802.1Q / 802.1ad tags.
    static func etherType(_ first: UInt16, _ data: UnsafeRawBufferPointer, at start: Int) -> LinkPayload {
        var type = first, at = start, tags = 0
        // 0x8100 802.1Q, 0x88A8 802.1ad (QinQ outer), 0x9100 the pre-standard QinQ outer tag.
        while type == 0x8100 || type == 0x88A8 || type == 0x9100 {
            tags += 1
            guard tags <= maxVLANTags else { return .skip(.malformed, .tooManyVLANTags) }
            guard data.count >= at + 4 else { return .skip(.truncated, .truncated(.link)) }
            type = data.be16(at + 2)
            at += 4
        }
        switch type {
        case 0x0800: return .ipv4(at: at)
        case 0x86DD: return .ipv6(at: at)
        case 0x8864: return pppoeSession(data, at: at)
        case 0x8847, 0x8848: return mpls(data, at: at)
        // An 802.3 length, not a type: LLC frames (STP, CDP, ...) never carry SIP.
        case ...1500: return .skip(.notIP, nil)
        // ARP, RARP, slow protocols (LACP), 802.1X, LLDP: expected on any LAN, not worth a warning.
        case 0x0806, 0x8035, 0x8809, 0x888E, 0x88CC: return .skip(.notIP, nil)
        default: return .skip(.notIP, .etherType(type))
        }
    }

    /// PPPoE session stage (RFC 2516 4): version/type, code, session id,
    /// length, then the PPP protocol number (0x0021 IPv4, 0x0057 IPv6).
    /// DSL links captured at the subscriber side come this way.
    static func pppoeSession(_ data: UnsafeRawBufferPointer, at: Int) -> LinkPayload {
        guard data.count >= at + 8 else { return .skip(.truncated, .truncated(.link)) }
        switch data.be16(at + 6) {
        case 0x0021: return .ipv4(at: at + 8)
        case 0x0057: return .ipv6(at: at + 8)
        // LCP, IPCP, PAP/CHAP: the link's own control traffic.
        default: return .skip(.notIP, nil)
        }
    }

    static let maxMPLSLabels = 8

    /// MPLS (RFC 3032): 4-byte labels until the bottom-of-stack bit; what
    /// follows has no type field, so the IP version nibble decides (as
    /// Wireshark's heuristic does for an unknown payload).
    static func mpls(_ data: UnsafeRawBufferPointer, at start: Int) -> LinkPayload {
        var at = start
        for _ in 0..<maxMPLSLabels {
            guard data.count >= at + 4 else { return .skip(.truncated, .truncated(.link)) }
            let bottom = data[at + 2] & 0x01 != 0
            at += 4
            guard bottom else { continue }
            guard data.count > at else { return .skip(.truncated, .truncated(.link)) }
            switch data[at] >> 4 {
            case 4: return .ipv4(at: at)
            case 6: return .ipv6(at: at)
            // A pseudowire control word or an Ethernet pseudowire: not read.
            default: return .skip(.notIP, .etherType(0x8847))
            }
        }
        return .skip(.malformed, .malformed(.link))
    }

    /// BSD loopback: a 4-byte address family in the capturing host's byte
    /// order (LINKTYPE_NULL) or in network order (LINKTYPE_LOOP); both are
    /// accepted either way round, since the value alone tells which it is.
    static func loopback(_ data: UnsafeRawBufferPointer) -> LinkPayload {
        guard data.count >= 4 else { return .skip(.truncated, .truncated(.link)) }
        let little = data.le32(0), big = data.be32(0)
        let family = little < 0x100 ? little : big
        switch family {
        case 2: return .ipv4(at: 4)
        // AF_INET6 differs by system: 10 Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS.
        case 10, 24, 28, 30: return .ipv6(at: 4)
        default: return .skip(.notIP, .addressFamily(family))
        }
    }

    static func rawIP(_ data: UnsafeRawBufferPointer) -> LinkPayload {
        guard data.count >= 1 else { return .skip(.truncated, .truncated(.link)) }
        switch data[0] >> 4 {
        case 4: return .ipv4(at: 0)
        case 6: return .ipv6(at: 0)
        default: return .skip(.malformed, .malformed(.link))
        }
    }
}
