/// Reads an RTCP compound packet (RFC 3550 section 6): the sender and
/// receiver reports with their report blocks, and the RFC 3611 VoIP
/// metrics block of an extended report. SDES, BYE, APP, feedback and other
/// XR blocks are stepped over by their length, which is checked like every
/// other length: nothing is read past the datagram.
public enum RTCPCompound {
    /// The packet types a compound packet may start with: SR, RR, SDES,
    /// BYE, APP (RFC 3550), RTPFB, PSFB (RFC 4585, reduced-size RTCP of
    /// RFC 5506) and XR (RFC 3611).
    public static let packetTypes: ClosedRange<UInt8> = 200...207

    /// The cheap test the collector runs on every datagram: version 2, an
    /// RTCP packet type, and a first packet that fits.
    public static func looksLikeRTCP(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 8, b[0] >> 6 == 2, packetTypes.contains(b[1]) else { return false }
        return (Int(b.be16(2)) + 1) * 4 <= b.count
    }

    /// Every SR, RR and XR-with-VoIP-metrics of the compound packet, in order.
    public static func reports(in b: UnsafeRawBufferPointer, time: Double, source: Endpoint, destination: Endpoint) throws(RTCPError) -> [RTCPReport] {
        guard b.count >= 2 else { throw .truncatedHeader(offset: 0, remaining: b.count) }
        guard packetTypes.contains(b[1]) else { throw .notRTCP(packetType: b[1]) }
        var out: [RTCPReport] = []
        var offset = 0
        while offset < b.count {
            let remaining = b.count - offset
            guard remaining >= 4 else { throw .truncatedHeader(offset: offset, remaining: remaining) }
            let b0 = b[offset], type = b[offset + 1]
            guard b0 >> 6 == 2 else { throw .badVersion(offset: offset, version: Int(b0 >> 6)) }
            let size = (Int(b.be16(offset + 2)) + 1) * 4
            guard size <= remaining else { throw .lengthOverrun(offset: offset, declared: size, remaining: remaining) }
            var content = size
            if b0 & 0x20 != 0 {
                // Padding: its count is the packet's last byte (section 6.4.1).
                let pad = Int(b[offset + size - 1])
                guard pad >= 1, pad <= size - 4 else { throw .badPadding(offset: offset, count: pad) }
                content -= pad
            }
            let count = Int(b0 & 0x1F)
            switch type {
            case 200:
                try require(type, offset, needed: 28 + 24 * count, available: content)
                let msw = b.be32(offset + 8), lsw = b.be32(offset + 12)
                out.append(RTCPReport(kind: .senderReport, time: time, source: source, destination: destination,
                                      ssrc: b.be32(offset + 4), ntpMiddle: (msw << 16) | (lsw >> 16),
                                      blocks: blocks(b, at: offset + 28, count: count)))
            case 201:
                try require(type, offset, needed: 8 + 24 * count, available: content)
                out.append(RTCPReport(kind: .receiverReport, time: time, source: source, destination: destination,
                                      ssrc: b.be32(offset + 4), blocks: blocks(b, at: offset + 8, count: count)))
            case 207:
                try require(type, offset, needed: 8, available: content)
                if let voip = try voipMetrics(b, from: offset + 8, to: offset + content, packetOffset: offset) {
                    out.append(RTCPReport(kind: .extendedReport, time: time, source: source, destination: destination,
                                          ssrc: b.be32(offset + 4), voip: voip))
                }
            default:
                break
            }
            offset += size
        }
        return out
    }

    static func require(_ type: UInt8, _ offset: Int, needed: Int, available: Int) throws(RTCPError) {
        guard needed <= available else { throw .contentOverrun(packetType: type, offset: offset, needed: needed, available: available) }
    }

    /// Report blocks of 24 bytes each (section 6.4.1); the caller checked they fit.
    static func blocks(_ b: UnsafeRawBufferPointer, at start: Int, count: Int) -> [RTCPReport.ReportBlock] {
        (0..<count).map { k in
            let o = start + 24 * k
            let lostField = Int(b.be32(o + 4) & 0x00FF_FFFF)
            // Cumulative lost is a signed 24-bit value: duplicates can make it negative.
            let cumulative = lostField & 0x80_0000 != 0 ? lostField - 0x100_0000 : lostField
            return RTCPReport.ReportBlock(
                ssrc: b.be32(o), fractionLost: Double(b[o + 4]) / 256, cumulativeLost: cumulative,
                highestSequence: b.be32(o + 8), jitter: b.be32(o + 12),
                lsr: b.be32(o + 16), dlsr: b.be32(o + 20))
        }
    }

    /// The first VoIP metrics block (BT=7, RFC 3611 section 4.7) among the
    /// XR blocks between `from` and `to`; other block types are skipped.
    static func voipMetrics(_ b: UnsafeRawBufferPointer, from: Int, to end: Int, packetOffset: Int) throws(RTCPError) -> RTCPReport.VoIPMetrics? {
        var o = from
        var found: RTCPReport.VoIPMetrics?
        while o < end {
            guard end - o >= 4 else { throw .contentOverrun(packetType: 207, offset: packetOffset, needed: o + 4 - packetOffset, available: end - packetOffset) }
            let blockType = b[o]
            let size = 4 + 4 * Int(b.be16(o + 2))
            guard size <= end - o else { throw .contentOverrun(packetType: 207, offset: packetOffset, needed: o + size - packetOffset, available: end - packetOffset) }
            // The block is 8 words after its header; a shorter one is not
            // the block RFC 3611 defines, so it is stepped over, not read.
            if blockType == 7, size >= 36, found == nil {
                func unavailable127(_ v: UInt8) -> Int? { v == 127 ? nil : Int(v) }
                func mos(_ v: UInt8) -> Double? { v == 127 ? nil : Double(v) / 10 }
                found = RTCPReport.VoIPMetrics(
                    ssrc: b.be32(o + 4),
                    lossRatePercent: Double(b[o + 8]) * 100 / 256,
                    discardRatePercent: Double(b[o + 9]) * 100 / 256,
                    roundTripDelayMs: Int(b.be16(o + 16)),
                    endSystemDelayMs: Int(b.be16(o + 18)),
                    rFactor: unavailable127(b[o + 24]),
                    mosLQ: mos(b[o + 26]), mosCQ: mos(b[o + 27]),
                    jitterBufferNominalMs: Int(b.be16(o + 30)),
                    jitterBufferMaximumMs: Int(b.be16(o + 32)))
            }
            o += size
        }
        return found
    }
}
