import Testing
@testable import Diagnosis
import TraceFormats

/// Back-to-back calls that reuse one RTP port (phones and SIPp do) must not
/// take each other's streams: a stream belongs to a call only while the
/// call runs (sipnab's sip-rtp-g711.pcap: the next call began 0.1 s after
/// the last one's BYE, to the same port).
@Suite struct StreamWindowTests {
    static let t0 = 1_480_171_979.666   // an epoch time, as a capture has

    static func stream(from first: Double, to last: Double) -> RTPStream {
        RTPStream(source: Endpoint("192.0.2.15:27942")!, destination: Endpoint("192.0.2.20:6000")!, ssrc: 0x343D_A99B,
                  payloadTypes: [0], clockRate: 8000, clockRateSource: "PCMU", firstTime: t0 + first, lastTime: t0 + last,
                  packets: 425, bytes: 73_100, expected: 425, lost: 0, duplicates: 0, outOfOrder: 0,
                  jitterMeanMs: 0, jitterMaxMs: 0, largestGapSeconds: 0.02, largestGapAt: t0 + first)
    }

    @Test func aStreamThatEndedBeforeTheInviteIsNotTheCalls() {
        let next = (start: Self.t0 + 8.620, end: Self.t0 + 16.9, ended: true)
        #expect(!CallMedia.overlaps(Self.stream(from: 0.02, to: 8.503), next))
        #expect(CallMedia.overlaps(Self.stream(from: 8.643, to: 16.90), next))
    }

    @Test func aStreamThatStartedAfterTheByeIsNotTheCalls() {
        let earlier = (start: Self.t0, end: Self.t0 + 8.504, ended: true)
        #expect(!CallMedia.overlaps(Self.stream(from: 8.643, to: 16.90), earlier))
        #expect(CallMedia.overlaps(Self.stream(from: 0.02, to: 8.503), earlier))
    }

    @Test func withoutAByeAStreamMayStartAfterTheLastMessage() {
        let open = (start: Self.t0, end: Self.t0 + 0.004, ended: false)
        #expect(CallMedia.overlaps(Self.stream(from: 0.05, to: 30), open))
    }
}
