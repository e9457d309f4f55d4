import SIPCore
import Testing
import TestSupport
import TraceFormats

@Suite struct MediaCollectorTests {
    typealias B = RTPBytesBuilder
    static let t0: Int64 = 1_700_000_000_000_000_000
    static let phoneToCore = B.flow("192.168.1.20", 4000, "203.0.113.10", 30000)

    /// `count` packets of a steady 20 ms stream.
    static func stream(_ c: inout MediaCollector, _ flow: FlowKey, count: Int, ssrc: UInt32 = 0x1111, pt: UInt8 = 0,
                       ticks: UInt32 = 160, startMs: Int64 = 0, firstSeq: UInt16 = 1000) {
        for k in 0..<count {
            let bytes = B.rtp(seq: firstSeq &+ UInt16(k), ts: UInt32(k) * ticks, ssrc: ssrc, pt: pt)
            c.offer(bytes, flow, nanos: t0 + (startMs + Int64(k) * 20) * 1_000_000)
        }
    }

    static func sdp(_ address: String, _ port: Int, _ extra: String = "") -> SessionDescription {
        SessionDescription("v=0\r\no=- 1 1 IN IP4 \(address)\r\ns=-\r\nc=IN IP4 \(address)\r\nt=0 0\r\nm=audio \(port) RTP/AVP 0 96 101\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n\(extra)")!
    }

    @Test func steadyStreamIsMeasuredAndReported() throws {
        var c = MediaCollector()
        Self.stream(&c, Self.phoneToCore, count: 50)
        let media = c.finish()
        let s = try #require(media.streams.first)
        #expect(media.streams.count == 1)
        #expect(s.packets == 50 && s.lost == 0)
        #expect(s.source == Endpoint(host: "192.168.1.20", port: 4000))
        #expect(s.destination == Endpoint(host: "203.0.113.10", port: 30000))
        #expect(s.payloadTypes == [0])
        #expect(c.warnings.isEmpty)
    }

    @Test func eachSSRCAndDirectionIsItsOwnStream() {
        var c = MediaCollector()
        Self.stream(&c, Self.phoneToCore, count: 20, ssrc: 1)
        Self.stream(&c, Self.phoneToCore, count: 20, ssrc: 2)
        Self.stream(&c, Self.phoneToCore.reversed, count: 20, ssrc: 1)
        #expect(c.finish().streams.count == 3)
    }

    @Test func tcpAndWellKnownPortsAreRefused() {
        var c = MediaCollector()
        let rtp = B.rtp(seq: 1, ts: 1)
        let overTCP = c.offer(rtp, Self.phoneToCore, nanos: Self.t0, transport: .tcp)
        let fromDNSPort = c.offer(rtp, B.flow("10.0.0.1", 53, "10.0.0.2", 40000), nanos: Self.t0)
        let plain = c.offer(rtp, Self.phoneToCore, nanos: Self.t0)
        #expect(!overTCP && !fromDNSPort && plain)
    }

    @Test func udpNoiseThatLooksLikeRTPIsNotReported() {
        var c = MediaCollector()
        // A DNS-like exchange on high ports: version bits 2 by chance, the
        // "sequence" (flags) never moves, so it is never validated.
        for k in 0..<40 {
            let bytes: [UInt8] = [0x80 | UInt8(k & 0x3F), 0x00, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77]
            c.offer(bytes, B.flow("10.0.0.1", 40000, "10.0.0.53", 5353), nanos: Self.t0 + Int64(k) * 1_000_000)
        }
        // A short real burst from nobody's SDP: too few packets to believe.
        Self.stream(&c, B.flow("10.0.0.9", 20000, "10.0.0.8", 20002), count: 5)
        #expect(c.finish().streams.isEmpty)
    }

    @Test func streamsAnSDPNamedAreReportedHoweverShort() throws {
        var c = MediaCollector()
        c.learn(Self.sdp("203.0.113.10", 30000))
        Self.stream(&c, Self.phoneToCore, count: 1)
        let s = try #require(c.finish().streams.first)
        #expect(s.packets == 1)
    }

    @Test func dynamicPayloadTypeGetsItsClockRateFromSDP() throws {
        var c = MediaCollector()
        c.learn(Self.sdp("203.0.113.10", 30000))
        // opus at 48 kHz: 960 ticks per 20 ms. Read at 8 kHz it would be 120 ms
        // per packet and show 100 ms of jitter on a perfect stream.
        Self.stream(&c, Self.phoneToCore, count: 100, pt: 96, ticks: 960)
        let s = try #require(c.finish().streams.first)
        #expect(s.clockRate == 48000)
        #expect(s.clockRateSource == "SDP rtpmap")
        #expect(s.jitterMaxMs < 0.01)
    }

    @Test func dynamicPayloadTypeWithoutSDPHasNoClockAndNoJitter() throws {
        var c = MediaCollector()
        Self.stream(&c, Self.phoneToCore, count: 100, pt: 96, ticks: 960)
        let s = try #require(c.finish().streams.first)
        #expect(s.clockRate == 0)
        #expect(s.jitterMaxMs == 0)
        #expect(s.clockRateSource.contains("unknown"))
    }

    @Test func rtcpBecomesReportsAndMalformedRTCPAWarning() throws {
        var c = MediaCollector()
        let sr = B.sr(ssrc: 0x1111, ntpSeconds: 1, ntpFraction: 2) + B.sdes(ssrc: 0x1111, cname: "a")
        let counted = c.offer(sr, B.flow("192.168.1.20", 4001, "203.0.113.10", 30001), nanos: Self.t0)
        #expect(counted)
        var bad = B.rr(ssrc: 1, blocks: [B.Block(ssrc: 2)]) + B.bye(ssrc: 1)
        bad[0] = 0x83 // three blocks announced, one present
        let badCounted = c.offer(bad, B.flow("203.0.113.10", 30001, "192.168.1.20", 4001), nanos: Self.t0)
        #expect(!badCounted)
        let media = c.finish()
        #expect(media.rtcp.count == 1)
        #expect(media.rtcp.first?.kind == .senderReport)
        #expect(media.rtcp.first?.time == Double(Self.t0) / 1e9)
        #expect(media.streams.isEmpty)
        #expect(c.warnings.contains { $0.contains("RTCP") && $0.contains("report blocks") })
    }

    @Test func streamCapStopsNewStreamsWithAWarning() {
        var c = MediaCollector(maxStreams: 4)
        for k in 0..<10 {
            Self.stream(&c, B.flow("10.0.0.1", UInt16(20000 + 2 * k), "10.0.0.2", 30000), count: 12)
        }
        let media = c.finish()
        #expect(media.streams.count == 4)
        #expect(c.warnings.contains { $0.contains("more than 4 RTP streams") })
    }

    @Test func noiseIsPrunedToMakeRoomForRealStreams() {
        var c = MediaCollector(maxStreams: 8)
        // Eight one-packet "streams" of noise fill the table...
        for k in 0..<8 { c.offer(B.rtp(seq: 1, ts: 1, ssrc: UInt32(k)), B.flow("10.0.0.1", UInt16(40000 + k), "10.0.0.2", 40000), nanos: Self.t0) }
        // ...and a real stream still gets in.
        Self.stream(&c, Self.phoneToCore, count: 30)
        #expect(c.finish().streams.map(\.packets) == [30])
        #expect(c.warnings.isEmpty)
    }

    @Test func streamsAreListedInOrderOfTheirFirstPacket() {
        var c = MediaCollector()
        Self.stream(&c, Self.phoneToCore.reversed, count: 20, ssrc: 2, startMs: 500)
        Self.stream(&c, Self.phoneToCore, count: 20, ssrc: 1, startMs: 0)
        #expect(c.finish().streams.map(\.ssrc) == [1, 2])
    }

    @Test func mangledDatagramsNeverCrashTheCollector() {
        var rng = SplitMix64(seed: 0x5D9)
        var c = MediaCollector(maxStreams: 64)
        let seeds = [B.rtp(seq: 1, ts: 1, csrcs: [1], extensionWords: 1, padding: 3), B.rr(ssrc: 1, blocks: [B.Block(ssrc: 2)]) + B.bye(ssrc: 1),
                     B.xr(ssrc: 1, blocks: [B.voipBlock(ssrc: 1, loss: 1, discard: 1, rtt: 1, esd: 1, r: 1, mosLQ: 1, mosCQ: 1, jbNominal: 1, jbMax: 1)])]
        for n in 0..<30_000 {
            var bytes = seeds[n % seeds.count]
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                guard !bytes.isEmpty else { break }
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                if Bool.random(using: &rng) { bytes[at] = UInt8.random(in: 0...255, using: &rng) } else { bytes.removeSubrange(at...) }
            }
            let flow = B.flow("10.0.0.1", UInt16.random(in: 1000...1100, using: &rng), "10.0.0.2", 30000)
            c.offer(bytes, flow, nanos: Self.t0 + Int64(n) * 1_000_000)
        }
        let media = c.finish()
        #expect(media.streams.count <= 64)
        for s in media.streams { #expect(s.packets >= 1 && s.expected >= 1) }
    }
}
