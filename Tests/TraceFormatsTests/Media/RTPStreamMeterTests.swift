import Testing
import TestSupport
import TraceFormats

/// The meter against sequences worked out by hand, and its jitter against
/// a direct RFC 3550 section 6.4.1 computation.
@Suite struct RTPStreamMeterTests {
    /// Packets as (sequence, timestamp, arrival ms) fed to one meter.
    struct Feed {
        var meter: RTPStreamMeter?
        var rate = 8000

        mutating func add(_ seq: UInt16, ts: UInt32, ms: Double, pt: UInt8 = 0, marker: Bool = false) {
            let bytes = RTPBytesBuilder.rtp(seq: seq, ts: ts, pt: pt, marker: marker)
            let h = bytes.withUnsafeBytes { RTPHeader($0)! }
            let nanos = Int64(ms * 1e6) + 1_700_000_000_000_000_000
            let format = PayloadFormat.staticType(pt) ?? PayloadFormat(name: "PT\(pt)", clockRate: rate, source: .sdp)
            if meter == nil {
                meter = RTPStreamMeter(first: h, size: bytes.count, nanos: nanos, format: format)
            } else {
                meter!.add(h, size: bytes.count, nanos: nanos, clockRate: format.clockRate)
            }
        }

        /// A 20 ms G.711 stream: sequence numbers in `seqs`, timestamps and
        /// arrival times following them (no jitter).
        static func steady(_ seqs: [UInt16], firstSeq: UInt16? = nil) -> RTPStreamMeter {
            var f = Feed()
            let base = Int(firstSeq ?? seqs[0])
            for s in seqs {
                let k = (Int(s) - base + 65536) % 65536
                f.add(s, ts: UInt32(k * 160), ms: Double(k) * 20)
            }
            return f.meter!
        }
    }

    @Test func lossIsExpectedMinusReceived() {
        let m = Feed.steady([1, 2, 3, 5, 6, 8, 9, 10])
        #expect(m.expected == 10)
        #expect(m.lost == 2)
        #expect(m.packets == 8)
        #expect(m.duplicates == 0 && m.outOfOrder == 0)
    }

    @Test func sequenceWrapAt65535IsNotLoss() {
        let m = Feed.steady([65532, 65533, 65534, 65535, 0, 1, 2, 3])
        #expect(m.expected == 8)
        #expect(m.lost == 0)
        #expect(m.extendedMaxSequence == 65536 + 3)
    }

    @Test func lossAcrossTheWrapIsCounted() {
        let m = Feed.steady([65533, 65534, 1, 2], firstSeq: 65533)
        #expect(m.expected == 6) // 65533, 65534, 65535, 0, 1, 2
        #expect(m.lost == 2)
    }

    @Test func duplicateCountsAsReceivedSoLossCanGoNegative() {
        var f = Feed()
        for (s, t) in [(1, 0), (2, 20), (3, 40), (3, 41), (4, 60)] as [(UInt16, Double)] {
            f.add(s, ts: UInt32(s) * 160, ms: t)
        }
        let m = f.meter!
        #expect(m.duplicates == 1)
        #expect(m.expected == 4)
        #expect(m.lost == -1)
        #expect(m.outOfOrder == 0)
    }

    @Test func lateDuplicateIsToldFromALatePacket() {
        var f = Feed()
        // 3 arrives after 4 (late); then 3 again (a duplicate of the late one).
        for (s, t) in [(1, 0), (2, 20), (4, 60), (3, 62), (5, 80), (3, 81)] as [(UInt16, Double)] {
            f.add(s, ts: UInt32(s) * 160, ms: t)
        }
        let m = f.meter!
        #expect(m.outOfOrder == 1)
        #expect(m.duplicates == 1)
        #expect(m.expected == 5)
        #expect(m.lost == -1)
    }

    @Test func reorderingIsNotLoss() {
        let m = Feed.steady([10, 11, 13, 12, 14, 15])
        #expect(m.outOfOrder == 1)
        #expect(m.lost == 0)
        #expect(m.expected == 6)
    }

    @Test func restartedNumberingIsARestartNotAHugeLoss() {
        var f = Feed()
        for (k, s) in ([100, 101, 102, 40_000, 40_001, 40_002] as [UInt16]).enumerated() {
            f.add(s, ts: UInt32(k * 160), ms: Double(k) * 20)
        }
        let m = f.meter!
        #expect(m.expected == 6)
        #expect(m.lost == 0)
    }

    @Test func singleStrayJumpIsNotARestart() {
        var f = Feed()
        for (k, s) in ([100, 101, 40_000, 102, 103] as [UInt16]).enumerated() {
            f.add(s, ts: UInt32(k * 160), ms: Double(k) * 20)
        }
        #expect(f.meter!.expected == 4)
    }

    @Test func twoConsecutiveNumbersValidateTheStream() {
        var f = Feed()
        f.add(7, ts: 0, ms: 0)
        f.add(7, ts: 0, ms: 20)
        #expect(!f.meter!.validated)
        f.add(8, ts: 160, ms: 40)
        #expect(f.meter!.validated)
    }

    /// Arrival times with known variation; the jitter must equal RFC 3550's
    /// J = J + (|D| - J) / 16 computed directly, at every packet (the mean
    /// of those values and their maximum, since every packet is regular).
    @Test func jitterMatchesADirectRFC3550Computation() {
        var rng = SplitMix64(seed: 6_4_1)
        var f = Feed()
        var arrivals: [Double] = []
        for k in 0..<500 {
            let ms = Double(k) * 20 + Double.random(in: 0...15, using: &rng)
            arrivals.append(ms)
            f.add(UInt16(k), ts: UInt32(k * 160), ms: ms)
        }
        var j = 0.0, values: [Double] = []
        for k in 1..<arrivals.count {
            let d = (arrivals[k] - arrivals[k - 1]) - 20
            j += (abs(d) - j) / 16
            values.append(j)
        }
        let m = f.meter!
        #expect(abs(m.jitterMs - j) < 1e-6)
        #expect(abs(m.jitterMaxMs - values.max()!) < 1e-6)
        #expect(abs(m.jitterMeanMs - values.reduce(0, +) / Double(values.count)) < 1e-6)
        #expect(m.jitterMeanMs > 2)
    }

    @Test func steadyStreamHasNoJitterAndTwentyMillisecondGaps() {
        let m = Feed.steady(Array(0..<100))
        #expect(m.jitterMaxMs < 1e-9)
        #expect(abs(Double(m.largestGapNanos) / 1e6 - 20) < 0.01)
    }

    @Test func networkHoldUpIsAGapAndJitter() {
        var f = Feed()
        for k in 0..<100 {
            // Packets 50... are held up 300 ms, then arrive in a burst.
            let ms = k < 50 ? Double(k) * 20 : max(Double(k) * 20, 50 * 20 + 300)
            f.add(UInt16(k), ts: UInt32(k * 160), ms: ms)
        }
        let m = f.meter!
        #expect(abs(Double(m.largestGapNanos) / 1e6 - 320) < 0.01)
        #expect(m.jitterMaxMs > 15)
        #expect(m.lost == 0)
    }

    /// Silence suppression: a talkspurt resumes with the marker bit and a
    /// timestamp that moved on with the silence. Neither the gap nor the
    /// jitter may count it.
    @Test func silenceSuppressionIsNeitherAGapNorJitter() {
        var f = Feed()
        var seq: UInt16 = 0
        for spurt in 0..<3 {
            let start = Double(spurt) * 3000
            for k in 0..<50 {
                let ms = start + Double(k) * 20
                f.add(seq, ts: UInt32(ms * 8), ms: ms, marker: k == 0)
                seq &+= 1
            }
        }
        let m = f.meter!
        #expect(Double(m.largestGapNanos) / 1e6 < 21)
        #expect(m.jitterMaxMs < 1e-9)
        #expect(m.markerPackets == 3)
        #expect(m.lost == 0)
    }

    @Test func comfortNoiseBeforeASilenceHidesTheGap() {
        var f = Feed()
        for k in 0..<10 { f.add(UInt16(k), ts: UInt32(k * 160), ms: Double(k) * 20) }
        f.add(10, ts: 1600, ms: 200, pt: 13)
        // No marker, timestamps continuous: only the comfort noise explains the pause.
        f.add(11, ts: 1760, ms: 2200)
        let m = f.meter!
        #expect(Double(m.largestGapNanos) / 1e6 < 21)
        #expect(m.comfortNoisePackets == 1)
        #expect(m.payloadTypes == [0, 13])
    }

    @Test func pauseWithoutMarkerButWithTheTimestampMovedOnIsNotAGap() {
        var f = Feed()
        for k in 0..<10 { f.add(UInt16(k), ts: UInt32(k * 160), ms: Double(k) * 20) }
        f.add(10, ts: 160 * 10 + 8 * 2000, ms: 200 + 2000)
        #expect(Double(f.meter!.largestGapNanos) / 1e6 < 21)
    }

    @Test func pauseRightAfterTheFirstPacketIsNotTakenForTheFrameSize() {
        var f = Feed()
        f.add(0, ts: 0, ms: 0)
        f.add(1, ts: 8 * 1500, ms: 1500)
        for k in 2..<20 { f.add(UInt16(k), ts: UInt32(8 * 1500 + (k - 1) * 160), ms: 1500 + Double(k - 1) * 20) }
        #expect(Double(f.meter!.largestGapNanos) / 1e6 < 21)
    }

    @Test func telephoneEventsDoNotMoveTheJitter() {
        var f = Feed()
        f.rate = 0 // what PayloadFormat(rtpmap: "telephone-event/8000") gives
        for k in 0..<10 { f.add(UInt16(k), ts: UInt32(k * 160), ms: Double(k) * 20) }
        // Events repeat their start timestamp for 100 ms.
        for k in 10..<15 { f.add(UInt16(k), ts: 1600, ms: Double(k) * 20 + 7, pt: 101) }
        let m = f.meter!
        #expect(m.jitterMaxMs < 1e-9)
        #expect(m.payloadTypes == [0, 101])
    }

    @Test func streamValueCarriesTheFigures() {
        let m = Feed.steady([1, 2, 3, 5])
        let s = m.stream(source: Endpoint(host: "10.0.0.1", port: 4000), destination: Endpoint(host: "10.0.0.2", port: 5000))
        #expect(s.packets == 4 && s.expected == 5 && s.lost == 1)
        #expect(s.lossPercent == 20)
        #expect(s.clockRate == 8000 && s.clockRateSource == "static payload type")
        #expect(abs(s.durationSeconds - 0.08) < 1e-6)
        #expect(s.ssrcText == "0x12345678")
    }
}
