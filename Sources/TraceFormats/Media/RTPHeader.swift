/// The fixed RTP header (RFC 3550 section 5.1), read only when the bytes
/// are plausibly RTP: version 2, long enough for the CSRC list, header
/// extension and padding they announce, and not an RTCP packet type.
///
/// Built for every UDP datagram of a capture that is not SIP, so it reads
/// straight from the borrowed buffer and allocates nothing.
public struct RTPHeader: Sendable, Hashable {
    public var padding: Bool
    public var hasExtension: Bool
    public var csrcCount: Int
    public var marker: Bool
    public var payloadType: UInt8
    public var sequence: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// Bytes of fixed header, CSRCs and extension: where the payload starts.
    public var headerLength: Int
    /// Payload bytes, padding excluded.
    public var payloadLength: Int

    /// Nil when the datagram is not plausibly RTP. The checks are those of
    /// RFC 3550 appendix A.1 that one packet can show; the ones that need
    /// a stream (sequence continuity) are `RTPStreamMeter`'s.
    public init?(_ b: UnsafeRawBufferPointer) {
        guard b.count >= 12 else { return nil }
        let b0 = b[0], b1 = b[1]
        guard b0 >> 6 == 2 else { return nil }
        // Second byte 200...207 is an RTCP packet type (SR, RR, SDES, BYE,
        // APP, RTPFB, PSFB, XR): as RTP it would be payload type 72-79 with
        // the marker set, which RFC 3551 reserves (72-76) or leaves
        // unassigned, and RFC 5761 section 4 tells senders to avoid.
        guard !(200...207).contains(b1) else { return nil }
        padding = b0 & 0x20 != 0
        hasExtension = b0 & 0x10 != 0
        csrcCount = Int(b0 & 0x0F)
        marker = b1 & 0x80 != 0
        payloadType = b1 & 0x7F
        sequence = b.be16(2)
        timestamp = b.be32(4)
        ssrc = b.be32(8)
        var length = 12 + 4 * csrcCount
        if hasExtension {
            // Profile-defined 16 bits, then the extension length in words.
            guard b.count >= length + 4 else { return nil }
            length += 4 + 4 * Int(b.be16(length + 2))
        }
        guard length <= b.count else { return nil }
        var pad = 0
        if padding {
            // The last byte counts the padding, itself included (5.1).
            pad = Int(b[b.count - 1])
            guard pad >= 1, pad <= b.count - length else { return nil }
        }
        headerLength = length
        payloadLength = b.count - length - pad
    }

    /// True for the payload types no voice or video stream uses: RFC 3551
    /// reserves 1, 2 and 72-76 and leaves 77-95 unassigned; RFC 5761
    /// section 4 keeps 64-95 clear of RTCP. A cheap way to drop DNS, NTP
    /// and other UDP whose first byte happens to read as version 2.
    public var hasUnusedPayloadType: Bool {
        payloadType == 1 || payloadType == 2 || (72...95).contains(payloadType)
    }

    /// Payload type 13 (RFC 3389) and the old 19: comfort noise, sent in
    /// silences instead of audio.
    public var isComfortNoise: Bool { payloadType == 13 || payloadType == 19 }
}
