import Foundation
import Testing
@testable import Diagnosis
import TraceFormats
import TraceSynthesis

/// The capture fixtures: each script in `Fixtures/captures/` is built into
/// a pcap (text trace + synthesized RTP), read back through the capture
/// loader like any pcap, and must get its verdict with the measured
/// figures as evidence.
@Suite struct CaptureFixtureTests {
    static let folder = Fixture.root.deletingLastPathComponent().appendingPathComponent("captures")

    static func diagnose(_ name: String) throws -> Diagnosis {
        let bytes = try CaptureFixture.build(scriptAt: folder.appendingPathComponent("\(name).capture").path)
        let trace = try TraceLoader.read(bytes: bytes, name: "\(name).pcap")
        #expect(trace.format == .pcap)
        #expect(trace.warnings.isEmpty, "\(name): \(trace.warnings)")
        return try Fixture.diagnose(trace)
    }

    @Test func everyScriptIsCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".capture") }
        #expect(Set(names.map { String($0.dropLast(".capture".count)) }) == Set(Self.verdicts.keys))
    }

    static let verdicts: [String: String] = [
        "healthy": "healthy", "nat-symmetric": "healthy", "hold": "healthy", "silence-suppression": "healthy",
        "one-way-audio": "one-way-audio", "one-way-no-return": "one-way-audio", "no-rtp": "one-way-audio",
        "choppy-audio": "choppy-audio",
    ]

    @Test(arguments: verdicts.keys.sorted())
    func verdict(_ name: String) throws {
        let d = try Self.diagnose(name)
        #expect(d.verdict.family == Self.verdicts[name], "\(name): \(d.verdict.headline)")
        #expect(!(d.media?.streams.isEmpty ?? true) || name == "no-rtp", "\(name): no streams tied to the call")
        #expect(!d.limitations.contains { $0.contains("No RTP in this trace (text)") })
    }

    @Test func oneWayAudioNamesThePrivateDestinationAndThePacketCount() throws {
        let d = try Self.diagnose("one-way-audio")
        let text = d.evidence.map(\.text).joined(separator: "\n")
        #expect(text.contains("10.0.0.5:16384"))
        #expect(d.evidence.contains { $0.text.contains("RTP packets sent to 10.0.0.5:16384") })
        #expect(d.confidence.level == .high)
    }

    @Test func oneWayWithoutReturnSaysWhichSideIsSilent() throws {
        let d = try Self.diagnose("one-way-no-return")
        #expect(d.verdict.headline.contains("none"))
        #expect(d.evidence.contains { $0.text.contains("no RTP to 192.168.1.50:16384") })
    }

    @Test func choppyAudioQuotesLossAndJitterOfTheBadDirection() throws {
        let d = try Self.diagnose("choppy-audio")
        let bad = try #require(d.media?.streams.first(where: { $0.destination.hasPrefix("192.168.1.50:") }))
        // 4 % evenly spread plus a 1.2 s outage (60 packets) of ~3,040.
        #expect(bad.lossPercent > 5 && bad.lossPercent < 7.5)
        #expect((bad.jitterMeanMs ?? 0) > 10)
        #expect(bad.largestGapMs > 1_100)
        let good = try #require(d.media?.streams.first(where: { $0.destination.hasPrefix("203.0.113.10:") }))
        #expect(good.lost == 0)
        #expect(d.evidence.contains { $0.text.contains("%") && $0.text.contains("jitter") })
        #expect(d.verdict.headline.contains("estimate"))
    }

    @Test func healthyCallMeasuresBothWaysAndTheRoundTrip() throws {
        let d = try Self.diagnose("healthy")
        let streams = try #require(d.media?.streams)
        #expect(streams.count == 2)
        for s in streams { #expect(s.lost == 0 && s.packets > 3_000) }
        // The scripts' receiver reports come back 140 ms after the sender
        // report with a DLSR of 100 ms: a 40 ms round trip.
        let rtt = streams.compactMap { $0.rtcp?.roundTripMs }
        #expect(!rtt.isEmpty)
        for r in rtt { #expect(abs(r - 40) < 1) }
    }
}
