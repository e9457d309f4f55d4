import Foundation
import Testing
import TestSupport
import TraceFormats
@testable import Diagnosis

/// Captures no one on the team wrote: the rule fixtures with RTP streams
/// and RTCP made up at random (seeded) between the addresses their SDP
/// names and a few it does not, with hostile figures. Every call must
/// still be diagnosed and rendered, and the text must keep to 100 columns.
@Suite struct MediaFuzzTests {
    static let fixtures = ["field-guide/one-way-audio.txt", "field-guide/outbound-call.txt", "glare/near-miss.txt",
                           "nat-one-way-audio/catch.txt", "call-quality/catch.txt", "first-failure/200-no-ack.txt"]

    @Test(arguments: fixtures)
    func randomMediaIsDiagnosedAndRendered(_ name: String) throws {
        let trace = try Fixture.trace(name)
        var addresses = ["10.9.9.9:5000", "[2001:db8::7]:6000", "0.0.0.0:9"]
        for m in trace.messages {
            guard let sdp = m.message.sdp else { continue }
            for media in sdp.media { if let a = sdp.address(of: media) { addresses.append(Endpoint(host: a, port: media.port).description) } }
        }
        let times = trace.messages.compactMap(\.timestamp)
        let t0 = times.min() ?? 0
        var rng = SplitMix64(seed: UInt64(name.utf8.count) &* 31)
        func pick() -> String { addresses[Int.random(in: 0..<addresses.count, using: &rng)] }
        for _ in 0..<60 {
            var streams: [RTPStream] = []
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let packets = Int.random(in: 1...5000, using: &rng)
                let expected = packets + Int.random(in: -20...500, using: &rng)
                let start = t0 + Double.random(in: -30...90, using: &rng)
                guard let from = Endpoint(pick()), let to = Endpoint(pick()) else { continue }
                streams.append(RTPStream(
                    source: from, destination: to, ssrc: UInt32.random(in: 0...UInt32.max, using: &rng),
                    payloadTypes: [Int.random(in: 0...127, using: &rng)], clockRate: [0, 8000, 48000].randomElement(using: &rng)!,
                    clockRateSource: "fuzz", firstTime: start, lastTime: start + Double.random(in: 0...120, using: &rng),
                    packets: packets, bytes: packets * 172, expected: expected, lost: expected - packets,
                    duplicates: Int.random(in: 0...50, using: &rng), outOfOrder: Int.random(in: 0...50, using: &rng),
                    jitterMeanMs: Double.random(in: 0...500, using: &rng), jitterMaxMs: Double.random(in: 0...5000, using: &rng),
                    largestGapSeconds: Double.random(in: 0...60, using: &rng), largestGapAt: start + Double.random(in: 0...60, using: &rng),
                    comfortNoisePackets: Int.random(in: 0...9, using: &rng)))
            }
            var rtcp: [RTCPReport] = []
            for s in streams where Bool.random(using: &rng) {
                let ntp = UInt32.random(in: 0...3, using: &rng)
                rtcp.append(RTCPReport(kind: .senderReport, time: s.firstTime + 1, source: s.source, destination: s.destination, ssrc: s.ssrc, ntpMiddle: ntp))
                rtcp.append(RTCPReport(kind: .receiverReport, time: s.firstTime + Double.random(in: -1...3, using: &rng), source: s.destination,
                                       destination: s.source, ssrc: 1,
                                       blocks: [RTCPReport.ReportBlock(ssrc: s.ssrc, fractionLost: Double.random(in: 0...1, using: &rng),
                                                                       cumulativeLost: Int.random(in: -100...100, using: &rng), highestSequence: 9,
                                                                       jitter: UInt32.random(in: 0...UInt32.max, using: &rng), lsr: ntp,
                                                                       dlsr: UInt32.random(in: 0...UInt32.max, using: &rng))]))
            }
            var withMedia = trace
            withMedia.media = MediaCapture(streams: streams, rtcp: rtcp)
            for d in Diagnoser().diagnoseAll(withMedia) {
                #expect(!d.verdict.headline.isEmpty)
                #expect(d.media != nil)
                for line in TextRenderer().render(d).split(separator: "\n") where line.count > 100 {
                    // Only a word longer than a line (an address, a Call-ID) may stick out.
                    #expect(!line.trimmingCharacters(in: .whitespaces).contains(" "), "\(line)")
                }
                _ = MarkdownRenderer().render(d)
                _ = JSONRenderer().render(d)
            }
        }
    }
}
