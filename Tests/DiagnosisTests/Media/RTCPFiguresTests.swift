import Testing
import TraceFormats
@testable import Diagnosis

/// Round trip and reported loss from RTCP: LSR matched to the SR whose NTP
/// middle 32 bits it echoes, RTT = RR time - SR time - DLSR.
@Suite struct RTCPFiguresTests {
    static let sender = Endpoint(host: "203.0.113.10", port: 40001)
    static let receiver = Endpoint(host: "192.168.1.50", port: 16385)
    static let s: UInt32 = 0x5EED_0001

    static func sr(_ t: Double, ntp: UInt32) -> RTCPReport {
        RTCPReport(kind: .senderReport, time: t, source: sender, destination: receiver, ssrc: s, ntpMiddle: ntp)
    }

    static func rr(_ t: Double, lsr: UInt32, dlsr: Double, fraction: Double = 0, cumulative: Int = 0, jitter: UInt32 = 0) -> RTCPReport {
        RTCPReport(kind: .receiverReport, time: t, source: receiver, destination: sender, ssrc: 0x0000_0B0B,
                   blocks: [RTCPReport.ReportBlock(ssrc: s, fractionLost: fraction, cumulativeLost: cumulative, highestSequence: 500,
                                                   jitter: jitter, lsr: lsr, dlsr: UInt32(dlsr * 65536))])
    }

    @Test func roundTripIsReportTimeMinusSenderReportTimeMinusDelay() throws {
        let capture = MediaCapture(rtcp: [
            Self.sr(100.000, ntp: 0xABCD_1234),
            Self.rr(100.350, lsr: 0xABCD_1234, dlsr: 0.25, fraction: 0.05, cumulative: 10, jitter: 80),
            Self.sr(105.000, ntp: 0xABD1_0000),
            Self.rr(105.500, lsr: 0xABD1_0000, dlsr: 0.38, fraction: 0.03, cumulative: 14, jitter: 160),
            // No SR received yet: LSR 0 says so, and it is not a round trip.
            Self.rr(99.0, lsr: 0, dlsr: 0),
        ])
        let f = CallMedia.StreamRTCP(ssrc: Self.s, clockRate: 8000, index: MediaIndex(capture))
        let rtt = try #require(f.roundTripMs)
        #expect(abs(rtt - 110) < 0.01) // (100 ms + 120 ms) / 2
        #expect(f.reportCount == 3)
        #expect(abs((f.meanFractionLostPercent ?? 0) - 8.0 / 3) < 1e-9)
        #expect(f.lastCumulativeLost == 14)
        #expect(f.lastJitterMs == 20) // 160 ticks at 8 kHz
    }

    @Test func reportBeforeItsSenderReportIsNotARoundTrip() {
        let capture = MediaCapture(rtcp: [Self.rr(99.0, lsr: 0xABCD_1234, dlsr: 0.1), Self.sr(100, ntp: 0xABCD_1234)])
        #expect(CallMedia.StreamRTCP(ssrc: Self.s, clockRate: 8000, index: MediaIndex(capture)).roundTripMs == nil)
    }

    @Test func otherStreamsReportsAreNotCounted() {
        let capture = MediaCapture(rtcp: [Self.sr(100, ntp: 7), Self.rr(100.2, lsr: 7, dlsr: 0.1)])
        let f = CallMedia.StreamRTCP(ssrc: 0x0000_0042, clockRate: 8000, index: MediaIndex(capture))
        #expect(f.reportCount == 0 && f.roundTripMs == nil)
    }

    @Test func extendedReportVoIPMetricsAreKept() {
        let metrics = RTCPReport.VoIPMetrics(ssrc: Self.s, lossRatePercent: 2, discardRatePercent: 1, roundTripDelayMs: 80, endSystemDelayMs: 40,
                                             rFactor: 80, mosLQ: 3.9, mosCQ: nil, jitterBufferNominalMs: 40, jitterBufferMaximumMs: 80)
        let capture = MediaCapture(rtcp: [RTCPReport(kind: .extendedReport, time: 1, source: Self.receiver, destination: Self.sender, ssrc: 9, voip: metrics)])
        #expect(CallMedia.StreamRTCP(ssrc: Self.s, clockRate: 8000, index: MediaIndex(capture)).voip == metrics)
    }

    /// Through the whole diagnosis: the RTCP of the call's streams lands
    /// in the media section, and its round trip in the MOS estimate.
    @Test func rtcpFiguresReachTheMediaSection() throws {
        let a = HoldTrace.answer
        var trace = try HoldTrace.trace(reInvites: [], duration: 30)
        let toPhone = SyntheticMedia.stream("203.0.113.10:40000", "192.168.1.50:16384", start: a + 0.1, seconds: 29.8, ssrc: Self.s)
        let fromPhone = SyntheticMedia.stream("192.168.1.50:16384", "203.0.113.10:40000", start: a + 0.1, seconds: 29.8, ssrc: 0x0B0B)
        trace.media = MediaCapture(streams: [toPhone, fromPhone],
                                   rtcp: [Self.sr(a + 5, ntp: 77), Self.rr(a + 5.4, lsr: 77, dlsr: 0.2, fraction: 0.02)])
        let d = try Fixture.diagnose(trace)
        let row = try #require(d.media?.streams.first { $0.ssrc == "0x5EED0001" })
        let rtcp = try #require(row.rtcp)
        #expect(abs((rtcp.roundTripMs ?? 0) - 200) < 0.01)
        #expect(rtcp.reports == 1)
        #expect(abs((rtcp.reportedLossPercent ?? 0) - 2) < 1e-9)
        let other = try #require(d.media?.streams.first { $0.ssrc == "0x00000B0B" })
        #expect(row.mosEstimate < other.mosEstimate) // 100 ms one way counts against it
    }
}
