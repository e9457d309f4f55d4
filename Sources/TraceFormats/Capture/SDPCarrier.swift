/// Finds an SDP body in a text payload that is not SIP: MGCP (`CRCX ...
/// MGCP 1.0` and its responses) and the like set up RTP with SDP too, and
/// tshark ties streams through them, so the media collector must learn
/// those addresses and codecs as well.
enum SDPCarrier {
    /// Looked at only this far: control messages are small.
    static let maxScan = 8_192

    /// The SDP after the first blank line, when it starts with `v=0`.
    static func sdpText(_ payload: UnsafeBufferPointer<UInt8>) -> String? {
        guard let first = payload.first, (first >= 0x30 && first <= 0x39) || (first >= 0x41 && first <= 0x5A) else { return nil }
        let limit = min(payload.count, maxScan)
        var i = 0
        while i + 4 < limit {
            if payload[i] == 0x0A {
                var j = i + 1
                if j < limit, payload[j] == 0x0D { j += 1 }
                if j < limit, payload[j] == 0x0A, j + 3 <= payload.count, payload[j + 1] == 0x76, payload[j + 2] == 0x3D, payload[j + 3] == 0x30 {
                    return String(decoding: UnsafeBufferPointer(rebasing: payload[(j + 1)...]), as: UTF8.self)
                }
            }
            i += 1
        }
        return nil
    }
}
