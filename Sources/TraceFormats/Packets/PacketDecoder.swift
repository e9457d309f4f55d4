/// Peels link, IP, tunnel, UDP/TCP and HEP layers off captured frames and
/// hands up application payloads.
///
/// Stateful because IP fragments and TCP segments must wait for the rest
/// of their datagram or message; everything it holds is bounded by
/// `Limits`. A plain Ethernet/IPv4/UDP frame goes through without a single
/// allocation: its payload is handed up as a view of the frame's bytes.
///
/// Payloads are borrowed: valid only during the `deliver` call.
public struct PacketDecoder: Sendable {
    public let limits: Limits
    private var log: PacketLog
    private var fragments = FragmentTable()
    private var streams = TCPStreamTable()
    private var lastFrame = 0

    public init(limits: Limits = .init()) {
        self.limits = limits
        log = PacketLog(maxKinds: limits.maxWarnings)
    }

    /// What could not be read, one line per kind with its count.
    public var warnings: [String] { log.lines(limits: limits) }
    public var counts: PacketCounts { log.counts }

    public mutating func decode(_ frame: Frame, _ deliver: (TransportPayload) -> Void) {
        log.counts.frames += 1
        lastFrame = frame.number
        let carrier = Carrier(time: frame.timestampNanos, frame: frame.number, frames: .one(frame.number))
        let outcome: Outcome
        switch LinkLayer.payload(frame.data, frame.linkType) {
        case .ipv4(let at):
            outcome = ip(frame.data.slice(at..<frame.data.count), isIPv6: false, carrier, depth: 0, deliver)
        case .ipv6(let at):
            outcome = ip(frame.data.slice(at..<frame.data.count), isIPv6: true, carrier, depth: 0, deliver)
        case .skip(let reason, let issue):
            if let issue { log.note(issue, frame: frame.number) }
            outcome = .skipped(reason)
        }
        switch outcome {
        case .decoded: log.counts.decoded += 1
        case .skipped(let reason): log.counts[skipped: reason] += 1
        }
    }

    /// The capture ended: TCP messages still waiting for bytes are handed
    /// on as they are (with a warning), incomplete datagrams are counted.
    public mutating func finish(_ deliver: (TransportPayload) -> Void) {
        streams.finish(limits: limits, log: &log) { message, log in
            Self.handUp(message, log: &log, deliver)
        }
        if !fragments.isEmpty { fragments.finish(frame: lastFrame, log: &log) }
    }

    // MARK: Layers

    /// The time and frames behind the bytes being decoded.
    private struct Carrier {
        var time: Int64
        /// The frame warnings name: the one being decoded.
        var frame: Int
        var frames: FrameSpan
    }

    private enum Outcome {
        case decoded
        case skipped(SkipReason)
    }

    private mutating func skip(_ reason: SkipReason, _ issue: PacketIssue?, _ carrier: Carrier) -> Outcome {
        if let issue { log.note(issue, frame: carrier.frame) }
        return .skipped(reason)
    }

    private mutating func ip(_ bytes: UnsafeRawBufferPointer, isIPv6: Bool, _ carrier: Carrier, depth: Int,
                             _ deliver: (TransportPayload) -> Void) -> Outcome {
        let parsed = isIPv6 ? IPv6Header.parse(bytes) : IPv4Header.parse(bytes)
        guard case .packet(let packet) = parsed else {
            if case .skip(let reason, let issue) = parsed { return skip(reason, issue, carrier) }
            return .skipped(.malformed)
        }
        if packet.cut { log.note(.snapLengthCut, frame: carrier.frame) }
        guard let fragment = packet.fragment else {
            return transport(packet.proto, bytes.slice(packet.payload), packet.source, packet.destination,
                             isIPv6: isIPv6, carrier, depth: depth, deliver)
        }
        let key = FragmentTable.Key(source: packet.source, destination: packet.destination,
                                    identification: fragment.identification, proto: isIPv6 ? 0 : packet.proto)
        guard let whole = fragments.add(key, fragment, data: bytes.slice(packet.payload), proto: packet.proto,
                                        frame: carrier.frame, time: carrier.time, limits: limits, log: &log) else {
            return .decoded
        }
        log.counts.reassembledDatagrams += 1
        var rebuilt = carrier
        rebuilt.frames = whole.frames.count == 1 ? .one(whole.frames[0]) : .several(whole.frames)
        return whole.bytes.withUnsafeBytes { raw in
            guard isIPv6 else {
                return transport(whole.proto, raw, packet.source, packet.destination, isIPv6: false, rebuilt, depth: depth, deliver)
            }
            // The first fragment may begin with more extension headers.
            switch IPv6Header.walk(raw, next: whole.proto, at: 0, end: raw.count) {
            case .upper(let proto, let at):
                return transport(proto, raw.slice(at..<raw.count), packet.source, packet.destination,
                                 isIPv6: true, rebuilt, depth: depth, deliver)
            case .fragmentHeader:
                return skip(.malformed, .malformed(.ipv6), rebuilt)
            case .skip(let reason, let issue):
                return skip(reason, issue, rebuilt)
            }
        }
    }

    private mutating func transport(_ proto: UInt8, _ bytes: UnsafeRawBufferPointer, _ source: NetAddress, _ destination: NetAddress,
                                    isIPv6: Bool, _ carrier: Carrier, depth: Int, _ deliver: (TransportPayload) -> Void) -> Outcome {
        switch proto {
        case 17:
            return udp(bytes, source, destination, carrier, deliver)
        case 6:
            return tcp(bytes, source, destination, carrier, deliver)
        case 4, 41:
            // IP-in-IP (RFC 2003) and IPv6-in-IP (RFC 4213), in either outer version.
            guard depth < limits.maxTunnelDepth else { return skip(.tunnelTooDeep, .tunnelTooDeep, carrier) }
            return ip(bytes, isIPv6: proto == 41, carrier, depth: depth + 1, deliver)
        case 47:
            guard depth < limits.maxTunnelDepth else { return skip(.tunnelTooDeep, .tunnelTooDeep, carrier) }
            return gre(bytes, carrier, depth: depth, deliver)
        case 51 where !isIPv6:
            // AH over IPv4 authenticates but does not hide what follows.
            switch IPv6Header.walk(bytes, next: 51, at: 0, end: bytes.count) {
            case .upper(let next, let at):
                return next == 51 ? skip(.malformed, .malformed(.ipv4), carrier)
                    : transport(next, bytes.slice(at..<bytes.count), source, destination, isIPv6: false, carrier, depth: depth, deliver)
            case .fragmentHeader: return skip(.malformed, .malformed(.ipv4), carrier)
            case .skip(let reason, let issue): return skip(reason, issue, carrier)
            }
        case 50:
            return skip(.encrypted, .encrypted, carrier)
        default:
            return .skipped(.otherProtocol)
        }
    }

    /// GRE (RFC 2784, with RFC 2890's key and sequence number) carrying IP
    /// or Ethernet (transparent bridging, 0x6558).
    private mutating func gre(_ b: UnsafeRawBufferPointer, _ carrier: Carrier, depth: Int,
                              _ deliver: (TransportPayload) -> Void) -> Outcome {
        guard b.count >= 4 else { return skip(.truncated, .truncated(.gre), carrier) }
        let flags = b.be16(0)
        // Version 1 is PPTP's enhanced GRE; the routing bit is obsolete (RFC 2784).
        guard flags & 0x0007 == 0, flags & 0x4000 == 0 else { return skip(.otherProtocol, nil, carrier) }
        var at = 4
        if flags & 0x8000 != 0 { at += 4 }
        if flags & 0x2000 != 0 { at += 4 }
        if flags & 0x1000 != 0 { at += 4 }
        guard at <= b.count else { return skip(.truncated, .truncated(.gre), carrier) }
        let inner: LinkPayload
        switch b.be16(2) {
        case 0x6558:
            let frame = b.slice(at..<b.count)
            guard frame.count >= 14 else { return skip(.truncated, .truncated(.link), carrier) }
            switch LinkLayer.etherType(frame.be16(12), frame, at: 14) {
            case .ipv4(let i): inner = .ipv4(at: at + i)
            case .ipv6(let i): inner = .ipv6(at: at + i)
            case .skip(let reason, let issue): inner = .skip(reason, issue)
            }
        case let type:
            inner = LinkLayer.etherType(type, b, at: at)
        }
        switch inner {
        case .ipv4(let i): return ip(b.slice(i..<b.count), isIPv6: false, carrier, depth: depth + 1, deliver)
        case .ipv6(let i): return ip(b.slice(i..<b.count), isIPv6: true, carrier, depth: depth + 1, deliver)
        case .skip(let reason, let issue): return skip(reason, issue, carrier)
        }
    }

    /// RFC 768. The payload ends where the UDP length says, or where the
    /// capture does, whichever comes first.
    private mutating func udp(_ b: UnsafeRawBufferPointer, _ source: NetAddress, _ destination: NetAddress,
                              _ carrier: Carrier, _ deliver: (TransportPayload) -> Void) -> Outcome {
        guard b.count >= 8 else { return skip(.truncated, .truncated(.udp), carrier) }
        let length = Int(b.be16(4))
        // 0 is a jumbogram's (RFC 2675) or an offloaded segment's.
        guard length == 0 || length >= 8 else { return skip(.malformed, .malformed(.udp), carrier) }
        let end = length == 0 ? b.count : min(length, b.count)
        let flow = FlowKey(source: SocketAddress(source, b.be16(0)), destination: SocketAddress(destination, b.be16(2)))
        let payload = b.slice(8..<end)
        if Self.unwrapHEP(payload, time: carrier.time, frames: carrier.frames, frame: carrier.frame, log: &log, deliver) {
            return .decoded
        }
        log.counts.payloads += 1
        deliver(TransportPayload(timestampNanos: carrier.time, flow: flow, transport: .udp, payload: payload, frames: carrier.frames))
        return .decoded
    }

    /// RFC 793 (9293). Segments go to their stream; whole messages come out.
    private mutating func tcp(_ b: UnsafeRawBufferPointer, _ source: NetAddress, _ destination: NetAddress,
                              _ carrier: Carrier, _ deliver: (TransportPayload) -> Void) -> Outcome {
        guard b.count >= 20 else { return skip(.truncated, .truncated(.tcp), carrier) }
        let headerLength = Int(b[12] >> 4) * 4
        guard headerLength >= 20 else { return skip(.malformed, .malformed(.tcp), carrier) }
        guard headerLength <= b.count else { return skip(.truncated, .truncated(.tcp), carrier) }
        let flags = b[13]
        let segment = TCPSegment(seq: b.be32(4), syn: flags & 0x02 != 0, fin: flags & 0x01 != 0, rst: flags & 0x04 != 0)
        let flow = FlowKey(source: SocketAddress(source, b.be16(0)), destination: SocketAddress(destination, b.be16(2)))
        streams.receive(flow, segment, data: b.slice(headerLength..<b.count), frames: carrier.frames, frame: carrier.frame,
                        time: carrier.time, limits: limits, log: &log) { message, log in
            Self.handUp(message, log: &log, deliver)
        }
        return .decoded
    }

    // MARK: Handing up

    private static func handUp(_ message: StreamMessage, log: inout PacketLog, _ deliver: (TransportPayload) -> Void) {
        if message.isHEP {
            // A HEP stream's unit is a HEP packet; one that is not HEP after all is dropped.
            _ = unwrapHEP(message.bytes, time: message.timestampNanos, frames: message.frames,
                          frame: message.frames.numbers.last ?? 0, log: &log, deliver)
            return
        }
        log.counts.payloads += 1
        log.counts.tcpMessages += 1
        deliver(TransportPayload(timestampNanos: message.timestampNanos, flow: message.flow, transport: .tcp,
                                 payload: message.bytes, frames: message.frames))
    }

    /// Hands up what a HEP envelope holds; false when the bytes are not HEP.
    private static func unwrapHEP(_ bytes: UnsafeRawBufferPointer, time: Int64, frames: FrameSpan, frame: Int,
                                  log: inout PacketLog, _ deliver: (TransportPayload) -> Void) -> Bool {
        // SIP starts with a letter other than H, RTP with 0x80..0xBF: one
        // byte compare keeps the common case off this path.
        guard let first = bytes.first, first == UInt8(ascii: "H") || first == 1 || first == 2 else { return false }
        switch HEPEnvelope.parse(bytes) {
        case .notHEP:
            return false
        case .skip(let issue):
            log.note(issue, frame: frame)
            return true
        case .envelope(let hep):
            log.counts.payloads += 1
            log.counts.hepPayloads += 1
            deliver(TransportPayload(timestampNanos: hep.timestampNanos ?? time, flow: hep.flow, transport: hep.transport,
                                     payload: bytes.slice(hep.payload), frames: frames, fromHEP: true))
            return true
        }
    }
}
