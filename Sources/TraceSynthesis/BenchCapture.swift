import TraceFormats

/// A large capture for the benchmark: many overlapping G.711 calls with
/// RTP both ways, written in time order through a streaming writer, so a
/// gigabyte is built without holding it in memory.
public struct BenchCapture {
    /// Stop once the file holds about this many bytes.
    public var targetBytes: Int
    public var callSeconds: Double
    public var concurrentCalls: Int

    public struct Summary: Sendable {
        public var calls: Int
        public var frames: Int
        public var bytes: Int
        /// A Call-ID in the middle of the capture, to diagnose.
        public var sampleCallID: String
    }

    public init(targetBytes: Int, callSeconds: Double = 60, concurrentCalls: Int = 50) {
        self.targetBytes = targetBytes
        self.callSeconds = callSeconds
        self.concurrentCalls = max(1, concurrentCalls)
    }

    static let start: Double = CallSynthesizer.baseDay + 9 * 3600
    static let ptime = 0.02
    static let sbc = NetAddress(ipv4: 0xCB00_710A) // 203.0.113.10

    /// Signalling only, as port-5060 captures, SBC traces and Homer
    /// exports are: the same calls without their RTP, so about 3.5 KB a
    /// call and some 280,000 calls to the gigabyte.
    public func writeSignalling(to path: String) throws(CaptureError) -> Summary {
        let writer = try PcapWriter.create(path: path, linkType: .ethernet)
        // A call starts every 10 ms and lasts `callSeconds`: some thousands
        // overlap, as on a busy SBC.
        let spacing = 0.01
        var calls = 0, frames = 0
        // Each message of a call sits at a fixed offset from its start, so
        // the seven sequences (every call's INVITE, every call's 100, ...)
        // are each in time order: merging them gives the capture's order
        // without holding more than one call per sequence.
        var next = [Int](repeating: 0, count: BenchCall.sipOffsets(length: callSeconds).count)
        var built: [Int: [(time: Double, frame: [UInt8])]] = [:]
        let offsets = BenchCall.sipOffsets(length: callSeconds)
        while true {
            var pick = -1
            var best = Double.infinity
            for k in next.indices where next[k] < calls || (k == 0 && writer.sink.bytesWritten < targetBytes) {
                let t = Self.start + Double(next[k]) * spacing + offsets[k]
                if t < best { best = t; pick = k }
            }
            guard pick >= 0 else { break }
            let i = next[pick]
            if pick == 0 { calls = i + 1 }
            if built[i] == nil { built[i] = BenchCall(index: i, begin: Self.start + Double(i) * spacing, length: callSeconds).signalling }
            try writer.append(timestampNanos: Int64(best * 1e9), data: built[i]![pick].frame)
            frames += 1
            next[pick] += 1
            if pick == offsets.count - 1 { built[i] = nil }
        }
        try writer.finish()
        return Summary(calls: calls, frames: frames, bytes: writer.sink.bytesWritten, sampleCallID: BenchCall.callID(calls / 2))
    }

    public func write(to path: String) throws(CaptureError) -> Summary {
        let writer = try PcapWriter.create(path: path, linkType: .ethernet)
        let spacing = callSeconds / Double(concurrentCalls)
        // Each RTP frame is about 230 bytes with its record header; this
        // many calls reach the target.
        let perCall = Int(2 * (callSeconds / Self.ptime) * 230) + 6_000
        let calls = max(1, targetBytes / perCall)
        var live: [Int: BenchCall] = [:]
        var nextCall = 0, frames = 0
        var tick = 0
        while nextCall < calls || !live.isEmpty {
            let t = Self.start + Double(tick) * Self.ptime
            while nextCall < calls, Self.start + Double(nextCall) * spacing <= t {
                live[nextCall] = BenchCall(index: nextCall, begin: Self.start + Double(nextCall) * spacing, length: callSeconds)
                nextCall += 1
            }
            for i in live.keys.sorted() {
                frames += try live[i]!.emit(upTo: t, into: writer)
                if live[i]!.done { live[i] = nil }
            }
            tick += 1
        }
        try writer.finish()
        return Summary(calls: calls, frames: frames, bytes: writer.sink.bytesWritten, sampleCallID: BenchCall.callID(calls / 2))
    }
}

/// One call of the bench capture: its SIP at fixed offsets, then RTP both
/// ways every 20 ms from prebuilt frames whose RTP header is patched.
struct BenchCall {
    let index: Int
    let begin: Double
    let length: Double
    private var sip: [(time: Double, frame: [UInt8])]
    private var rtp: [[UInt8]]
    private var nextSIP = 0
    private var packets = 0
    private(set) var done = false

    static func callID(_ i: Int) -> String { "bench-\(i)-\(String(UInt32(truncatingIfNeeded: i &* 2_654_435_761), radix: 16))@10.20.0.1" }

    init(index: Int, begin: Double, length: Double) {
        self.index = index
        self.begin = begin
        self.length = length
        let phone = SocketAddress(NetAddress(ipv4: 0x0A14_0000 | UInt32(1 + index % 60_000)), 5060)
        let sbc = SocketAddress(BenchCapture.sbc, 5060)
        let phoneMedia = SocketAddress(phone.address, UInt16(20_000 + 2 * (index % 10_000)))
        let sbcMedia = SocketAddress(sbc.address, UInt16(30_000 + 2 * (index % 10_000)))
        let id = Self.callID(index)
        func udp(_ s: SocketAddress, _ d: SocketAddress, _ text: String) -> [UInt8] {
            PacketBuilder.frame(PacketBuilder.udp(from: s, to: d, payload: Array(text.utf8)))
        }
        let messages = BenchSIP(callID: id, phone: phone, sbc: sbc, phoneMedia: phoneMedia, sbcMedia: sbcMedia)
        let frames = [
            udp(phone, sbc, messages.invite), udp(sbc, phone, messages.response(100, "Trying", sdp: false)),
            udp(sbc, phone, messages.response(180, "Ringing", sdp: false)), udp(sbc, phone, messages.response(200, "OK", sdp: true)),
            udp(phone, sbc, messages.ack), udp(phone, sbc, messages.bye), udp(sbc, phone, messages.byeOK),
        ]
        sip = zip(Self.sipOffsets(length: length), frames).map { (begin + $0, $1) }
        rtp = [phoneMedia, sbcMedia].map { s in
            let d = s == phoneMedia ? sbcMedia : phoneMedia
            var f = PacketBuilder.frame(PacketBuilder.udp(from: s, to: d, payload: [UInt8](repeating: 0xFF, count: 172)))
            // RTP header at the payload's start; a UDP checksum of 0 (none,
            // allowed over IPv4) keeps the patched frames valid.
            f[40] = 0; f[41] = 0
            f[42] = 0x80; f[43] = 0
            for k in 0..<4 { f[50 + k] = UInt8(truncatingIfNeeded: (UInt32(index) &* 2 &+ (s == phoneMedia ? 0 : 1)) >> (24 - 8 * UInt32(k))) }
            return f
        }
    }

    /// When each SIP message goes, from the call's start: INVITE, 100,
    /// 180, 200, ACK, BYE, its 200.
    static func sipOffsets(length: Double) -> [Double] { [0, 0.005, 0.5, 1, 1.05, length, length + 0.01] }

    /// The call's SIP frames with their times, for a capture without RTP.
    var signalling: [(time: Double, frame: [UInt8])] { sip }

    /// Writes what falls due by `t`; returns the number of frames.
    mutating func emit(upTo t: Double, into writer: PcapWriter) throws(CaptureError) -> Int {
        var n = 0
        while nextSIP < sip.count, sip[nextSIP].time <= t {
            try writer.append(timestampNanos: Int64(sip[nextSIP].time * 1e9), data: sip[nextSIP].frame)
            nextSIP += 1
            n += 1
        }
        if t >= begin + 1.1, t < begin + length - 0.05 {
            let seq = UInt16(truncatingIfNeeded: packets), ts = UInt32(truncatingIfNeeded: packets &* 160)
            for d in 0..<2 {
                rtp[d][44] = UInt8(seq >> 8); rtp[d][45] = UInt8(seq & 0xFF)
                rtp[d][46] = UInt8(ts >> 24); rtp[d][47] = UInt8((ts >> 16) & 0xFF); rtp[d][48] = UInt8((ts >> 8) & 0xFF); rtp[d][49] = UInt8(ts & 0xFF)
                try writer.append(timestampNanos: Int64((t + Double(d) * 0.0003) * 1e9), data: rtp[d])
                n += 1
            }
            packets += 1
        }
        done = nextSIP == sip.count
        return n
    }
}

/// The SIP of a bench call: a plain answered G.711 call.
struct BenchSIP {
    let callID: String
    let phone: SocketAddress
    let sbc: SocketAddress
    let phoneMedia: SocketAddress
    let sbcMedia: SocketAddress

    func sdp(_ media: SocketAddress) -> String {
        "v=0\r\no=- 1 1 IN IP4 \(media.address)\r\ns=-\r\nc=IN IP4 \(media.address)\r\nt=0 0\r\nm=audio \(media.port) RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\na=sendrecv\r\n"
    }

    func headers(_ start: String, cseq: String, toTag: Bool, body: String = "") -> String {
        start + "\r\nVia: SIP/2.0/UDP \(phone);branch=z9hG4bK-\(callID.prefix(12))-\(cseq.filter(\.isNumber))\r\n"
            + "From: <sip:1001@example.com>;tag=a-\(callID.prefix(8))\r\nTo: <sip:+14155550123@example.com>\(toTag ? ";tag=b-\(callID.prefix(8))" : "")\r\n"
            + "Call-ID: \(callID)\r\nCSeq: \(cseq)\r\nContact: <sip:1001@\(phone)>\r\nMax-Forwards: 70\r\n"
            + (body.isEmpty ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    var invite: String { headers("INVITE sip:+14155550123@\(sbc) SIP/2.0", cseq: "1 INVITE", toTag: false, body: sdp(phoneMedia)) }
    func response(_ code: Int, _ reason: String, sdp withSDP: Bool) -> String {
        headers("SIP/2.0 \(code) \(reason)", cseq: "1 INVITE", toTag: code > 100, body: withSDP ? sdp(sbcMedia) : "")
    }
    var ack: String { headers("ACK sip:+14155550123@\(sbc) SIP/2.0", cseq: "1 ACK", toTag: true) }
    var bye: String { headers("BYE sip:+14155550123@\(sbc) SIP/2.0", cseq: "2 BYE", toTag: true) }
    var byeOK: String { headers("SIP/2.0 200 OK", cseq: "2 BYE", toTag: true) }
}
