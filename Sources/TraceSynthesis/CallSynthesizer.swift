import SIPCore
import TraceFormats

/// Turns a text trace and a capture script into the datagrams a capture
/// of that call would hold: each SIP message at its time between its
/// participants' addresses, and the RTP (and RTCP) the script describes.
public struct CallSynthesizer: Sendable {
    /// Portal and sngrep traces give a time of day only; their messages
    /// are put on this day (2026-11-24, UTC).
    public static let baseDay: Double = 1_795_478_400

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var reason: String
        public var description: String { reason }
    }

    let trace: Trace
    let script: CaptureScript

    public init(trace: Trace, script: CaptureScript) {
        self.trace = trace
        self.script = script
    }

    public func packets() throws(Failure) -> [SynthPacket] {
        var out: [SynthPacket] = []
        for (i, m) in trace.messages.enumerated() {
            let src = try address(of: m, source: true), dst = try address(of: m, source: false)
            out.append(SynthPacket(timestampNanos: nanos(time(of: i)), source: src, destination: dst, payload: Array(m.message.wireText.utf8)))
        }
        var rng = SplitMix64(seed: script.seed)
        for flow in script.media { out += try media(flow, rng: &rng) }
        // Stable: equal times keep script order, so a build is repeatable.
        return out.enumerated().sorted { ($0.element.timestampNanos, $0.offset) < ($1.element.timestampNanos, $1.offset) }.map(\.element)
    }

    // MARK: Signalling

    func time(of index: Int) -> Double {
        guard let t = trace.messages[index].timestamp else { return Self.baseDay + 3600 + Double(index) * 0.01 }
        return t < 2 * 86_400 ? Self.baseDay + t : t
    }

    func address(of m: CapturedMessage, source: Bool) throws(Failure) -> SocketAddress {
        let label = source ? m.sourceLabel : m.destinationLabel
        if let label, let host = script.hosts[label], let a = NetAddress(host) { return SocketAddress(a, 5060) }
        if let e = source ? m.source : m.destination, let a = NetAddress(e.host) { return SocketAddress(a, UInt16(e.port ?? 5060)) }
        throw Failure(reason: "message #\(m.index) has no address for its \(source ? "sender" : "receiver")\(label.map { " \($0)" } ?? ""); add a host line for it")
    }

    /// True when the participant called `name` (a label or an address) sent the message.
    func sent(_ m: CapturedMessage, by name: String) -> Bool {
        m.sourceLabel == name || m.source?.host == name || (m.sourceLabel.flatMap { script.hosts[$0] } == name)
    }

    // MARK: Media

    func media(_ flow: MediaFlow, rng: inout SplitMix64) throws(Failure) -> [SynthPacket] {
        guard let answered = answerTime() else { throw Failure(reason: "the trace has no answered INVITE, so there is no time for rtp \(flow.sender) -> \(flow.receiver)") }
        let begin = answered + flow.start
        let end = flow.duration.map { begin + $0 } ?? (byeTime(after: answered) ?? time(of: trace.messages.count - 1))
        let receiverSDP = lastSDP(sentBy: flow.receiver, before: begin)
        let rAudio = receiverSDP?.audio
        let senderSDP = lastSDP(sentBy: flow.sender, before: begin)
        let destination: SocketAddress
        if let to = flow.to {
            destination = try socket(to)
        } else if let receiverSDP, let rAudio {
            destination = try socket(receiverSDP.address(of: rAudio) ?? "", rAudio.port)
        } else {
            throw Failure(reason: "\(flow.receiver) sent no SDP with audio before the media starts, so rtp \(flow.sender) -> \(flow.receiver) has no destination; give it a to option")
        }
        let sourceHost = script.hosts[flow.sender] ?? hostAddress(of: flow.sender) ?? senderSDP.flatMap { s in s.audio.flatMap(s.address(of:)) }
        let source: SocketAddress
        if let from = flow.from { source = try socket(from) } else { source = try socket(sourceHost ?? "", senderSDP?.audio?.port ?? 40_000) }
        let payloadType = rAudio?.formats.compactMap { Int($0) }.first ?? 0
        let ptime = Double(rAudio?.ptime ?? 20) / 1000
        let samples = UInt32(8000 * ptime)
        let ssrc = UInt32(truncatingIfNeeded: rng.next())
        var sequence = UInt16(truncatingIfNeeded: rng.next())
        var timestamp = UInt32(truncatingIfNeeded: rng.next())
        let total = Int(((end - begin) / ptime).rounded(.down))
        var out: [SynthPacket] = []
        var sent = 0, octets = 0, lost = 0, markNext = true, inPause = false
        for k in 0..<max(0, total) {
            let offset = Double(k) * ptime
            if let p = flow.pause, offset >= p.at, offset < p.at + p.length {
                if !inPause, flow.comfortNoise {
                    out.append(packet(at: begin + offset, source, destination,
                                      RTPBytes.rtp(payloadType: 13, marker: false, sequence: sequence, timestamp: timestamp, ssrc: ssrc, payloadLength: 1)))
                    sequence &+= 1
                }
                inPause = true
                timestamp &+= samples
                continue
            }
            if inPause { markNext = true; inPause = false }
            let dropped = Self.drops(k, flow.loss) || flow.outage.map { offset >= $0.at && offset < $0.at + $0.length } == true
            if !dropped {
                let arrival = begin + offset + flow.jitter * rng.unit()
                out.append(packet(at: arrival, source, destination,
                                  RTPBytes.rtp(payloadType: payloadType, marker: markNext, sequence: sequence, timestamp: timestamp, ssrc: ssrc, payloadLength: Int(samples))))
                sent += 1
                octets += Int(samples)
                markNext = false
            } else {
                lost += 1
            }
            sequence &+= 1
            timestamp &+= samples
            if flow.rtcp, k > 0, k % Int(5 / ptime) == 0 {
                out += reports(at: begin + offset, source, destination, ssrc: ssrc, timestamp: timestamp, sent: sent, octets: octets,
                               lost: lost, highest: sequence &- 1)
            }
        }
        return out
    }

    /// Evenly spread losses: exactly round(n * share) of n packets go.
    static func drops(_ k: Int, _ share: Double) -> Bool {
        share > 0 && Int((Double(k + 1) * share).rounded(.down)) > Int((Double(k) * share).rounded(.down))
    }

    /// A sender report, then 100 ms later the receiver's report echoing it
    /// over a path with a 40 ms round trip: the RTT the analysis must find.
    func reports(at t: Double, _ source: SocketAddress, _ destination: SocketAddress, ssrc: UInt32, timestamp: UInt32,
                 sent: Int, octets: Int, lost: Int, highest: UInt16) -> [SynthPacket] {
        let ntp = RTPBytes.ntp(unixSeconds: t)
        let sr = RTPBytes.senderReport(ssrc: ssrc, ntp: ntp, rtpTimestamp: timestamp, packets: UInt32(sent), octets: UInt32(octets))
        let lsr = UInt32(truncatingIfNeeded: ntp >> 16)
        let rr = RTPBytes.receiverReport(ssrc: ssrc ^ 0x5A5A_5A5A, about: ssrc, fractionLost: UInt8(min(255, lost * 256 / max(1, sent + lost))),
                                         cumulativeLost: lost, highestSequence: UInt32(highest), jitter: 0, lsr: lsr, dlsr: UInt32(0.1 * 65536))
        let rtcpSource = SocketAddress(source.address, source.port &+ 1), rtcpDestination = SocketAddress(destination.address, destination.port &+ 1)
        return [packet(at: t, rtcpSource, rtcpDestination, sr), packet(at: t + 0.14, rtcpDestination, rtcpSource, rr)]
    }

    func packet(at t: Double, _ s: SocketAddress, _ d: SocketAddress, _ bytes: [UInt8]) -> SynthPacket {
        SynthPacket(timestampNanos: nanos(t), source: s, destination: d, payload: bytes)
    }

    /// The ACK of the first answered INVITE (or the 2xx when no ACK follows).
    func answerTime() -> Double? {
        guard let ok = trace.messages.firstIndex(where: { ($0.message.statusCode ?? 0) / 100 == 2 && $0.message.cseq?.method == "INVITE" }) else { return nil }
        let ack = trace.messages[ok...].firstIndex { $0.message.method == "ACK" }
        return time(of: ack ?? ok)
    }

    func byeTime(after t: Double) -> Double? {
        trace.messages.indices.first { trace.messages[$0].message.method == "BYE" && time(of: $0) >= t }.map(time(of:))
    }

    func lastSDP(sentBy name: String, before t: Double) -> SessionDescription? {
        trace.messages.indices.last { i in sent(trace.messages[i], by: name) && time(of: i) <= t && trace.messages[i].message.sdp?.audio != nil }
            .flatMap { trace.messages[$0].message.sdp }
    }

    func hostAddress(of name: String) -> String? {
        trace.messages.first { $0.sourceLabel == name || $0.source?.host == name }?.source?.host
    }

    func socket(_ text: String) throws(Failure) -> SocketAddress {
        guard let e = Endpoint(text), let a = NetAddress(e.host) else { throw Failure(reason: "'\(text)' is not ADDRESS:PORT") }
        return SocketAddress(a, UInt16(e.port ?? 0))
    }

    func socket(_ host: String, _ port: Int) throws(Failure) -> SocketAddress {
        guard let a = NetAddress(host) else { throw Failure(reason: "'\(host)' is not an IP address to send RTP to; give the flow a to/from option") }
        return SocketAddress(a, UInt16(clamping: port))
    }

    func nanos(_ t: Double) -> Int64 { Int64((t * 1e9).rounded()) }
}
