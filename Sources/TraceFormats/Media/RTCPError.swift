/// Why bytes that started like RTCP could not be read as an RTCP compound
/// packet (RFC 3550 section 6). Offsets are from the start of the UDP
/// payload, so the packet can be found in Wireshark's byte view.
public enum RTCPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first packet type is not SR, RR, SDES, BYE, APP, feedback or XR.
    case notRTCP(packetType: UInt8)
    /// Fewer than the 4 bytes of a common header are left at `offset`.
    case truncatedHeader(offset: Int, remaining: Int)
    case badVersion(offset: Int, version: Int)
    /// The length field announces more bytes than the datagram holds.
    case lengthOverrun(offset: Int, declared: Int, remaining: Int)
    /// The report count (or an XR block length) does not fit in the
    /// packet's own length.
    case contentOverrun(packetType: UInt8, offset: Int, needed: Int, available: Int)
    /// The padding count is zero or larger than the packet.
    case badPadding(offset: Int, count: Int)

    public var description: String {
        switch self {
        case .notRTCP(let pt):
            return "packet type \(pt) is not an RTCP type (200-207); the datagram is not RTCP"
        case .truncatedHeader(let o, let r):
            return "RTCP header at byte \(o) is cut short (\(r) of 4 bytes); the capture's snap length may be too small"
        case .badVersion(let o, let v):
            return "RTCP packet at byte \(o) has version \(v), not 2: the compound packet is corrupt or not RTCP"
        case .lengthOverrun(let o, let d, let r):
            return "RTCP packet at byte \(o) declares \(d) bytes but only \(r) remain; the datagram was cut (snap length) or is not RTCP"
        case .contentOverrun(let pt, let o, let n, let a):
            return "RTCP packet type \(pt) at byte \(o) needs \(n) bytes for its report blocks but its length gives \(a); the report is corrupt"
        case .badPadding(let o, let c):
            return "RTCP packet at byte \(o) claims \(c) bytes of padding, which its length cannot hold"
        }
    }
}
