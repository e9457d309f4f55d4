import SIPCore

/// Tells SIP from everything else a capture carries, by content and on
/// any port: SIP runs on 5060, 5080, 6060 and whatever a carrier picked.
public enum SIPPayloadCheck {
    /// Longest first line looked at; a start line is short.
    static let maxStartLine = 1_024

    /// True when the payload begins with a SIP request or status line.
    /// The first byte decides for almost every packet: RTP starts with
    /// 0x80-0xBF, SIP with a letter of a method or of `SIP/2.0`.
    public static func isSIP(_ payload: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = payload.first, (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) else { return false }
        var end = 0
        let limit = min(payload.count, maxStartLine)
        while end < limit, payload[end] != 0x0A, payload[end] != 0x0D { end += 1 }
        guard end < payload.count else { return false }
        return SIPParser.isStartLine(payload, 0..<end)
    }
}
