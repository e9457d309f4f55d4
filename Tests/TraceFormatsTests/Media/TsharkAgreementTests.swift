import Testing
import TestSupport
import TraceFormats

/// The collector's loss and jitter against what `tshark -z rtp,streams`
/// (Wireshark 4.0.17) prints for the public captures, within 5 % (or the
/// 0.001 ms tshark rounds to). The figures were copied from tshark's
/// output; the captures are read from `../shared/fixtures/public-pcaps`
/// and the tests skip when that folder is absent.
@Suite struct TsharkAgreementTests {
    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        var source: String
        var destination: String
        var ssrc: UInt32
        var packets: Int
        var lost: Int
        var meanJitter: Double
        var maxJitter: Double
        var description: String { "\(file) \(source) -> \(destination)" }
    }

    static let tshark: [Expected] = [
        Expected(file: "sip-rtp-g711.pcap", source: "10.0.2.15:28102", destination: "10.0.2.20:6000", ssrc: 0x343F_FA34, packets: 414, lost: 0, meanJitter: 0.004, maxJitter: 0.019),
        Expected(file: "sip-rtp-g711.pcap", source: "10.0.2.15:27942", destination: "10.0.2.20:6000", ssrc: 0x343D_A99B, packets: 425, lost: 0, meanJitter: 0.006, maxJitter: 0.010),
        Expected(file: "SIP_CALL_RTP_G711", source: "200.57.7.196:40376", destination: "200.57.7.204:8000", ssrc: 0x58F3_3DEA, packets: 891, lost: 0, meanJitter: 0.099, maxJitter: 0.251),
        Expected(file: "SIP_CALL_RTP_G711", source: "200.57.7.204:8000", destination: "200.57.7.196:40376", ssrc: 0xD2BD_4E3E, packets: 548, lost: 0, meanJitter: 2.517, maxJitter: 7.407),
        Expected(file: "rtp-protocol.pcap", source: "10.33.6.101:6040", destination: "10.33.6.100:6020", ssrc: 0x06C1_56FD, packets: 201, lost: 0, meanJitter: 2.423, maxJitter: 3.293),
        Expected(file: "rtp-protocol.pcap", source: "10.33.6.100:6020", destination: "10.33.6.101:6040", ssrc: 0x44C6_1AFB, packets: 47, lost: 0, meanJitter: 0.309, maxJitter: 0.556),
        Expected(file: "sip-over-tcp.pcap", source: "10.33.6.100:6000", destination: "10.33.6.101:6050", ssrc: 0x5A33_61B3, packets: 24, lost: 0, meanJitter: 0.039, maxJitter: 0.069),
        Expected(file: "sip-over-tcp.pcap", source: "10.33.6.101:6050", destination: "10.33.6.100:6000", ssrc: 0x42F4_33D4, packets: 42, lost: 0, meanJitter: 2.304, maxJitter: 3.063),
        Expected(file: "sngrep-aaa.pcap", source: "192.168.1.2:30000", destination: "212.242.33.36:40392", ssrc: 0x3796_CB71, packets: 9, lost: 0, meanJitter: 5.646, maxJitter: 7.799),
        Expected(file: "h263-over-rtp.pcap", source: "192.168.6.199:57128", destination: "192.168.6.199:32976", ssrc: 0x5482_ECE0, packets: 45, lost: 0, meanJitter: 15.505, maxJitter: 32.186),
    ]

    static func close(_ ours: Double, _ theirs: Double) -> Bool {
        abs(ours - theirs) <= max(0.05 * theirs, 0.0011)
    }

    @Test(arguments: tshark)
    func lossAndJitterAgreeWithTshark(_ e: Expected) throws {
        guard let media = TinyPcap.media(e.file) else { return }
        let s = try #require(media.streams.first { $0.source.description == e.source && $0.destination.description == e.destination && $0.ssrc == e.ssrc })
        #expect(s.packets == e.packets)
        #expect(s.lost == e.lost)
        #expect(Self.close(s.jitterMeanMs, e.meanJitter), "mean jitter \(s.jitterMeanMs) ms, tshark \(e.meanJitter)")
        #expect(Self.close(s.jitterMaxMs, e.maxJitter), "max jitter \(s.jitterMaxMs) ms, tshark \(e.maxJitter)")
    }

    /// A 60 s G.711 stream built from a seeded generator: 3 % loss, a
    /// duplicate every 200 packets, one packet in 150 held back 25 ms (so it
    /// arrives after the next), up to 8 ms of arrival jitter, and the
    /// sequence wrapping at 65535. The same packets were written to a pcap
    /// (by a Python port of SplitMix64 and this loop) and read by
    /// `tshark -d udp.port==40002,rtp -z rtp,streams`: 2920 packets, 80 lost
    /// (2.7 %), mean jitter 2.895 ms, max 7.545 ms.
    @Test func lossyReorderedWrappingStreamAgreesWithTshark() throws {
        var rng = SplitMix64(seed: 20260)
        var packets: [(arrivalMicros: UInt64, seq: UInt16, ts: UInt32)] = []
        for k in 0..<3000 {
            let r = rng.next()
            var arrival = UInt64(k) * 20000 + r % 8000
            if (r >> 16) % 100 < 3 { continue }
            if (r >> 32) % 150 == 0 { arrival += 25000 }
            let seq = UInt16(truncatingIfNeeded: 65000 + k), ts = UInt32(1000 + k * 160)
            packets.append((arrival, seq, ts))
            if (r >> 24) % 200 == 0 { packets.append((arrival + 100, seq, ts)) }
        }
        packets.sort { ($0.arrivalMicros, $0.seq) < ($1.arrivalMicros, $1.seq) }
        var c = MediaCollector()
        let flow = RTPBytesBuilder.flow("10.0.0.1", 40000, "10.0.0.2", 40002)
        for p in packets {
            c.offer(RTPBytesBuilder.rtp(seq: p.seq, ts: p.ts, ssrc: 0xABCD_0001), flow, nanos: 1_700_000_000_000_000_000 + Int64(p.arrivalMicros) * 1000)
        }
        let s = try #require(c.finish().streams.first)
        #expect(s.packets == 2920)
        #expect(s.lost == 80)
        #expect(Self.close(s.lossPercent, 2.7))
        // Not only within 5 %: to tshark's three decimals, which is what
        // tells Wireshark 4.0's handling of late packets from later versions'.
        #expect(abs(s.jitterMeanMs - 2.895) < 0.0006, "mean jitter \(s.jitterMeanMs)")
        #expect(abs(s.jitterMaxMs - 7.545) < 0.0006, "max jitter \(s.jitterMaxMs)")
        #expect(s.duplicates > 0 && s.outOfOrder > 0)
    }
}
