/// RTP and RTCP packets as bytes (RFC 3550 sections 5.1, 6.4.1, 6.4.2):
/// the media a synthesized capture carries.
enum RTPBytes {
    static func rtp(payloadType: Int, marker: Bool, sequence: UInt16, timestamp: UInt32, ssrc: UInt32, payloadLength: Int) -> [UInt8] {
        var b: [UInt8] = [0x80, UInt8(payloadType & 0x7F) | (marker ? 0x80 : 0)]
        b.reserveCapacity(12 + payloadLength)
        put16(&b, sequence)
        put32(&b, timestamp)
        put32(&b, ssrc)
        // PCMU/PCMA silence; the payload's content never matters to the analysis.
        b.append(contentsOf: repeatElement(payloadType == 8 ? 0xD5 : 0xFF, count: payloadLength))
        return b
    }

    /// A sender report with no report blocks.
    static func senderReport(ssrc: UInt32, ntp: UInt64, rtpTimestamp: UInt32, packets: UInt32, octets: UInt32) -> [UInt8] {
        var b: [UInt8] = [0x80, 200]
        put16(&b, 6)
        put32(&b, ssrc)
        put32(&b, UInt32(truncatingIfNeeded: ntp >> 32))
        put32(&b, UInt32(truncatingIfNeeded: ntp))
        put32(&b, rtpTimestamp)
        put32(&b, packets)
        put32(&b, octets)
        return b
    }

    /// A receiver report with one block about `about`.
    static func receiverReport(ssrc: UInt32, about: UInt32, fractionLost: UInt8, cumulativeLost: Int, highestSequence: UInt32,
                               jitter: UInt32, lsr: UInt32, dlsr: UInt32) -> [UInt8] {
        var b: [UInt8] = [0x81, 201]
        put16(&b, 7)
        put32(&b, ssrc)
        put32(&b, about)
        let lost = UInt32(truncatingIfNeeded: max(0, min(cumulativeLost, 0x7FFFFF)))
        put32(&b, UInt32(fractionLost) << 24 | lost)
        put32(&b, highestSequence)
        put32(&b, jitter)
        put32(&b, lsr)
        put32(&b, dlsr)
        return b
    }

    /// NTP format (RFC 5905): seconds since 1900 in the high word.
    static func ntp(unixSeconds: Double) -> UInt64 {
        let s = unixSeconds + 2_208_988_800
        let whole = UInt64(s)
        let fraction = UInt64((s - Double(whole)) * 4_294_967_296)
        return whole << 32 | fraction
    }

    static func put16(_ b: inout [UInt8], _ v: UInt16) {
        b.append(UInt8(v >> 8)); b.append(UInt8(v & 0xFF))
    }

    static func put32(_ b: inout [UInt8], _ v: UInt32) {
        b.append(UInt8(v >> 24)); b.append(UInt8((v >> 16) & 0xFF)); b.append(UInt8((v >> 8) & 0xFF)); b.append(UInt8(v & 0xFF))
    }
}
