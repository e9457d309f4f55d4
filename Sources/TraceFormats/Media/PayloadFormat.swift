/// What a payload type carries as far as measuring goes: the codec name and
/// the RTP clock rate that turns timestamp units into time.
public struct PayloadFormat: Sendable, Hashable {
    public var name: String
    /// Hz; 0 when jitter cannot be measured for it (unknown dynamic type,
    /// or telephone-event, whose timestamp stays at the event start).
    public var clockRate: Int
    public var source: Source

    public enum Source: String, Sendable, Hashable {
        case staticType = "static payload type"
        case sdp = "SDP rtpmap"
        case unknown = "unknown (no SDP rtpmap seen)"
    }

    public init(name: String, clockRate: Int, source: Source) {
        self.name = name
        self.clockRate = clockRate
        self.source = source
    }

    /// RFC 3551 section 6, with the clock rates Wireshark's RTP analysis
    /// uses (ui/tap-rtp-analysis.c, clock_map): G.722 is 8000 on the RTP
    /// clock although it samples at 16 kHz, and the old comfort noise 19 is
    /// kept. Static types ignore SDP there, so they do here.
    public static func staticType(_ pt: UInt8) -> PayloadFormat? {
        let entry: (String, Int)
        switch pt {
        case 0: entry = ("PCMU", 8000)
        case 3: entry = ("GSM", 8000)
        case 4: entry = ("G723", 8000)
        case 5: entry = ("DVI4", 8000)
        case 6: entry = ("DVI4", 16000)
        case 7: entry = ("LPC", 8000)
        case 8: entry = ("PCMA", 8000)
        case 9: entry = ("G722", 8000)
        case 10, 11: entry = ("L16", 44100)
        case 12: entry = ("QCELP", 8000)
        case 13, 19: entry = ("CN", 8000)
        case 14: entry = ("MPA", 90000)
        case 15: entry = ("G728", 8000)
        case 16: entry = ("DVI4", 11025)
        case 17: entry = ("DVI4", 22050)
        case 18: entry = ("G729", 8000)
        case 25: entry = ("CelB", 90000)
        case 26: entry = ("JPEG", 90000)
        case 28: entry = ("nv", 90000)
        case 31: entry = ("H261", 90000)
        case 32: entry = ("MPV", 90000)
        case 33: entry = ("MP2T", 90000)
        case 34: entry = ("H263", 90000)
        default: return nil
        }
        return PayloadFormat(name: entry.0, clockRate: entry.1, source: .staticType)
    }

    /// From an `a=rtpmap` value after the payload type: `opus/48000/2`.
    /// telephone-event gets clock rate 0, as in Wireshark: its timestamp is
    /// the event's start, repeated in every packet (RFC 4733 section 2.2.1),
    /// so it says nothing about arrival variation.
    public init?(rtpmap: String) {
        let parts = rtpmap.split(separator: "/")
        guard let first = parts.first, !first.isEmpty, first.count <= 64 else { return nil }
        let rate = parts.count > 1 ? Int(parts[1]).flatMap { (1...1_000_000).contains($0) ? $0 : nil } : nil
        guard let rate else { return nil }
        let name = String(first)
        self.init(name: name, clockRate: name.lowercased() == "telephone-event" ? 0 : rate, source: .sdp)
    }

    /// True for DTMF events and comfort noise, which are not the voice codec.
    public var isAuxiliary: Bool {
        let n = name.lowercased()
        return n == "telephone-event" || n == "cn"
    }
}
