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
        "proxy-hold": "healthy", "proxy-glare-hold": "healthy", "proxy-one-way": "one-way-audio", "proxy-codec-change": "healthy",
        "same-host": "healthy",
    ]

    @Test func twoUserAgentsOnOneHostEachOwnTheirStream() throws {
        let d = try Self.diagnose("same-host")
        let streams = try #require(d.media?.streams)
        #expect(streams.count == 2)
        #expect(Set(streams.map { "\($0.from) -> \($0.to)" }).count == 2, "\(streams.map { "\($0.from) -> \($0.to)" })")
        #expect(streams.allSatisfy { $0.from != $0.to })
    }

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

    // MARK: calls that change after answer, through a proxy that does not anchor media

    @Test func twoWayAudioBeforeAHoldIsTwoWayAudio() throws {
        for name in ["proxy-hold", "proxy-glare-hold"] {
            let d = try Self.diagnose(name)
            #expect(!d.otherFindings.contains { $0.family == "one-way-audio" }, "\(name): \(d.otherFindings)")
            let streams = try #require(d.media?.streams)
            #expect(streams.count == 2)
            // Named after the phones whose SDP addresses they run between, not the proxy.
            for s in streams {
                #expect(!s.from.contains("10.1.1.1:") && !s.to.contains("10.1.1.1:"), "\(name): \(s.from) -> \(s.to)")
            }
        }
    }

    @Test func aCodecChangeByReInviteKeepsBothDirections() throws {
        let d = try Self.diagnose("proxy-codec-change")
        #expect(!d.otherFindings.contains { $0.family == "one-way-audio" })
        let streams = try #require(d.media?.streams)
        #expect(streams.count == 4)
        #expect(Set(streams.map(\.codec)) == ["PCMU", "PCMA"])
        // Old and new ports are the same two phones.
        #expect(Set(streams.map { "\($0.from)>\($0.to)" }).count == 2, "\(streams.map { "\($0.from)>\($0.to)" })")
    }

    @Test func crossedReInvitesAreReportedAsGlare() throws {
        let d = try Self.diagnose("proxy-glare-hold")
        let glare = try #require(d.otherFindings.first { $0.family == "glare" })
        #expect(glare.headline.contains("491"))
        #expect(glare.headline.contains("#20"))
        // Without the crossing, no glare.
        #expect(!(try Self.diagnose("proxy-hold")).otherFindings.contains { $0.family == "glare" })
    }

    @Test func oneWayThroughAProxyNamesThePhonesNotTheProxy() throws {
        let d = try Self.diagnose("proxy-one-way")
        #expect(d.verdict.family == "one-way-audio")
        #expect(d.evidence.contains { $0.text.contains("no RTP to 10.1.1.10:20000") })
        #expect(d.evidence.contains { $0.text.contains("from 10.1.1.10:20000 to 10.1.1.20:30000") })
        #expect(!d.verdict.headline.contains("10.1.1.1:"))
        // The hold after ten seconds is one quiet period, however many hops relayed it.
        #expect(d.evidence.filter { $0.text.hasPrefix("not counted") }.count == 1)
    }
}
