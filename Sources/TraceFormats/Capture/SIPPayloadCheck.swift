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
        startLineEnd(payload).map { SIPParser.isStartLine(payload, 0..<$0) } ?? false
    }

    /// What a scanner asks of every payload, from one look at its first
    /// line: whether it is SIP (`isSIP`) and, when it is, where its headers
    /// start (`SIPParser.headersStart`, nil when the parser would refuse
    /// the message), the start line being read once instead of twice.
    public enum Look: Sendable {
        case notSIP
        case sip(headers: Int?)
    }

    public static func look(_ payload: UnsafeBufferPointer<UInt8>) -> Look {
        guard let end = startLineEnd(payload) else { return .notSIP }
        guard SIPParser.isStartLine(payload, 0..<end) else { return .notSIP }
        // The first byte is a letter, so the first line is the start line
        // `headersStart` reads too; past the cases where it reads more
        // (a note on the line, an oversized message, a line cut at the
        // limit), the headers start after the line's end.
        guard end < maxStartLine, payload.count <= SIPParser.Options().maxMessageBytes,
              ByteText.strippingAnnotation(payload, 0..<end) == 0..<end else {
            return .sip(headers: SIPParser.headersStart(payload))
        }
        let next = payload[end] == 0x0D && end + 1 < payload.count && payload[end + 1] == 0x0A ? end + 2 : end + 1
        return .sip(headers: next)
    }

    /// Where the first line ends (its CR or LF; `maxStartLine` when it is
    /// longer), when the payload starts with a letter; nil for anything
    /// that cannot be SIP.
    @inline(__always)
    private static func startLineEnd(_ payload: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = payload.first, (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) else { return nil }
        var end = 0
        let limit = min(payload.count, maxStartLine)
        while end < limit, payload[end] != 0x0A, payload[end] != 0x0D { end += 1 }
        guard end < payload.count else { return nil }
        return end
    }
}
