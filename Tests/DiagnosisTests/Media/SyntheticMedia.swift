import TraceFormats
@testable import Diagnosis

/// Captured media made up for the rule tests: streams with chosen figures,
/// or real packets run through `MediaCollector` when the meter's own
/// judgement (silence suppression) is what is tested.
enum SyntheticMedia {
    /// 20 ms packets from `start` for `seconds`, with the figures given.
    static func stream(_ from: String, _ to: String, start: Double, seconds: Double, ssrc: UInt32,
                       lossPercent: Double = 0, jitterMs: Double = 0.4, maxJitterMs: Double? = nil,
                       gapSeconds: Double = 0.02, gapAt: Double? = nil, pt: Int = 0, comfortNoise: Int = 0) -> RTPStream {
        let expected = Int((seconds / 0.02).rounded()) + 1
        let lost = Int((Double(expected) * lossPercent / 100).rounded())
        return RTPStream(source: Endpoint(from)!, destination: Endpoint(to)!, ssrc: ssrc,
                         payloadTypes: comfortNoise > 0 ? [pt, 13] : [pt], clockRate: 8000, clockRateSource: "static payload type",
                         firstTime: start, lastTime: start + seconds, packets: expected - lost, bytes: (expected - lost) * 172,
                         expected: expected, lost: lost, duplicates: 0, outOfOrder: 0,
                         jitterMeanMs: jitterMs, jitterMaxMs: maxJitterMs ?? jitterMs * 2,
                         largestGapSeconds: gapSeconds, largestGapAt: gapAt ?? start,
                         comfortNoisePackets: comfortNoise, markerPackets: 1)
    }

    /// The time of the `occurrence`-th message with this status code or method.
    static func time(_ trace: Trace, status: Int? = nil, method: String? = nil, occurrence: Int = 0) -> Double {
        var matching: [Double] = []
        for m in trace.messages {
            if let status, m.message.statusCode != status { continue }
            if let method, m.message.method != method { continue }
            matching.append(m.timestamp!)
        }
        return matching[occurrence]
    }

    /// RTP bytes as RFC 3550 section 5.1 lays them out (160 bytes of G.711).
    static func rtp(seq: UInt16, ts: UInt32, ssrc: UInt32, pt: UInt8 = 0, marker: Bool = false) -> [UInt8] {
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        return [0x80, (marker ? 0x80 : 0) | pt, UInt8(seq >> 8), UInt8(seq & 0xFF)] + be32(ts) + be32(ssrc)
            + Array(repeating: 0xD5, count: pt == 13 ? 1 : 160)
    }

    static func socket(_ text: String) -> SocketAddress {
        let e = Endpoint(text)!
        return SocketAddress(NetAddress(e.host)!, UInt16(e.port!))
    }

    /// Packets (time in seconds, bytes) offered to a collector as one flow.
    static func offer(_ packets: [(Double, [UInt8])], from: String, to: String, into c: inout MediaCollector) {
        let flow = FlowKey(source: socket(from), destination: socket(to))
        for (t, bytes) in packets {
            _ = bytes.withUnsafeBytes { raw in
                c.offer(TransportPayload(timestampNanos: Int64((t * 1e9).rounded()), flow: flow, transport: .udp, payload: raw, frames: .one(1)))
            }
        }
    }

    /// A steady 20 ms stream from `start` to `end`.
    static func steady(start: Double, end: Double, ssrc: UInt32) -> [(Double, [UInt8])] {
        var out: [(Double, [UInt8])] = []
        var k = 0
        while start + Double(k) * 0.02 <= end {
            out.append((start + Double(k) * 0.02, rtp(seq: UInt16(truncatingIfNeeded: k), ts: UInt32(k * 160), ssrc: ssrc)))
            k += 1
        }
        return out
    }

    /// Talkspurts of `talk` seconds separated by `silence` seconds of
    /// silence suppression (RFC 3389): one comfort-noise packet when the
    /// silence starts, then nothing; the next talkspurt starts with the
    /// marker bit and a timestamp that moved on with the silence.
    static func talkspurts(start: Double, end: Double, talk: Double, silence: Double, ssrc: UInt32) -> [(Double, [UInt8])] {
        var out: [(Double, [UInt8])] = []
        var seq: UInt16 = 0
        var t = start
        while t < end {
            let spurtEnd = min(end, t + talk)
            var first = true
            while t <= spurtEnd {
                let ts = UInt32(((t - start) * 8000).rounded())
                out.append((t, rtp(seq: seq, ts: ts, ssrc: ssrc, marker: first)))
                seq &+= 1
                first = false
                t += 0.02
            }
            out.append((t, rtp(seq: seq, ts: UInt32(((t - start) * 8000).rounded()), ssrc: ssrc, pt: 13)))
            seq &+= 1
            t += silence
        }
        return out
    }
}
