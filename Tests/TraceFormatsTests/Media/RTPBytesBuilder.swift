import TraceFormats

/// RTP and RTCP packets written byte by byte, as RFC 3550 and RFC 3611 lay
/// them out, so the decoders are tested against the wire format and not
/// against themselves.
enum RTPBytesBuilder {
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func rtp(seq: UInt16, ts: UInt32, ssrc: UInt32 = 0x1234_5678, pt: UInt8 = 0, marker: Bool = false,
                    payload: Int = 160, csrcs: [UInt32] = [], extensionWords: Int? = nil, padding: UInt8 = 0) -> [UInt8] {
        var b0: UInt8 = 0x80 | UInt8(csrcs.count)
        if extensionWords != nil { b0 |= 0x10 }
        if padding > 0 { b0 |= 0x20 }
        var out: [UInt8] = [b0, (marker ? 0x80 : 0) | pt] + be16(seq) + be32(ts) + be32(ssrc)
        for c in csrcs { out += be32(c) }
        if let words = extensionWords {
            out += [0xBE, 0xDE] + be16(UInt16(words)) + Array(repeating: 0, count: 4 * words)
        }
        out += Array(repeating: 0xD5, count: payload)
        if padding > 0 { out += Array(repeating: 0, count: Int(padding) - 1) + [padding] }
        return out
    }

    struct Block {
        var ssrc: UInt32
        var fraction: UInt8 = 0
        var cumulative: Int32 = 0
        var highest: UInt32 = 0
        var jitter: UInt32 = 0
        var lsr: UInt32 = 0
        var dlsr: UInt32 = 0

        var bytes: [UInt8] {
            let lost = UInt32(bitPattern: cumulative) & 0x00FF_FFFF
            return be32(ssrc) + [fraction] + Array(be32(lost).dropFirst()) + be32(highest) + be32(jitter) + be32(lsr) + be32(dlsr)
        }
    }

    /// Common header with the length field computed from the body.
    static func packet(type: UInt8, count: Int, body: [UInt8]) -> [UInt8] {
        precondition(body.count % 4 == 0)
        return [0x80 | UInt8(count), type] + be16(UInt16((body.count + 4) / 4 - 1)) + body
    }

    static func sr(ssrc: UInt32, ntpSeconds: UInt32, ntpFraction: UInt32, blocks: [Block] = []) -> [UInt8] {
        let info = be32(ntpSeconds) + be32(ntpFraction) + be32(160_000) + be32(1000) + be32(160_000)
        return packet(type: 200, count: blocks.count, body: be32(ssrc) + info + blocks.flatMap(\.bytes))
    }

    static func rr(ssrc: UInt32, blocks: [Block]) -> [UInt8] {
        packet(type: 201, count: blocks.count, body: be32(ssrc) + blocks.flatMap(\.bytes))
    }

    static func sdes(ssrc: UInt32, cname: String) -> [UInt8] {
        var item: [UInt8] = [1, UInt8(cname.utf8.count)] + Array(cname.utf8) + [0]
        while (item.count + 4) % 4 != 0 { item.append(0) }
        return packet(type: 202, count: 1, body: be32(ssrc) + item)
    }

    static func bye(ssrc: UInt32) -> [UInt8] { packet(type: 203, count: 1, body: be32(ssrc)) }

    /// RFC 3611 4.7: the VoIP metrics block, 8 words after its header.
    static func voipBlock(ssrc: UInt32, loss: UInt8, discard: UInt8, rtt: UInt16, esd: UInt16, r: UInt8, mosLQ: UInt8,
                          mosCQ: UInt8, jbNominal: UInt16, jbMax: UInt16) -> [UInt8] {
        [7, 0] + be16(8) + be32(ssrc) + [loss, discard, 0, 0] + be16(0) + be16(0) + be16(rtt) + be16(esd)
            + [0x7F, 0x7F, 0x7F, 16, r, 0x7F, mosLQ, mosCQ, 0, 0] + be16(jbNominal) + be16(jbMax) + be16(jbMax)
    }

    /// RFC 3611 4.4, receiver reference time: a block the decoder must step over.
    static func referenceTimeBlock() -> [UInt8] { [4, 0] + be16(2) + be32(0xE000_0000) + be32(0x1234_5678) }

    static func xr(ssrc: UInt32, blocks: [[UInt8]]) -> [UInt8] {
        packet(type: 207, count: 0, body: be32(ssrc) + blocks.flatMap { $0 })
    }

    static func address(_ text: String, _ port: UInt16) -> SocketAddress { SocketAddress(NetAddress(text)!, port) }

    static func flow(_ from: String, _ fromPort: UInt16, _ to: String, _ toPort: UInt16) -> FlowKey {
        FlowKey(source: address(from, fromPort), destination: address(to, toPort))
    }
}

extension MediaCollector {
    /// Offers bytes as one UDP datagram of `flow` at `nanos`.
    @discardableResult
    mutating func offer(_ bytes: [UInt8], _ flow: FlowKey, nanos: Int64, transport: TransportPayload.Transport = .udp) -> Bool {
        bytes.withUnsafeBytes { raw in
            offer(TransportPayload(timestampNanos: nanos, flow: flow, transport: transport, payload: raw, frames: .one(1)))
        }
    }
}
