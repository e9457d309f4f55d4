import Testing
import TraceFormats
@testable import Diagnosis

/// The media rules on text fixtures with a made-up capture of the same
/// call's RTP. field-guide/one-way-audio.txt: a Yealink behind NAT
/// (203.0.113.50, SDP 10.0.0.5:16384) calls a PBX (198.51.100.10, SDP
/// 198.51.100.10:40000); answered 16:05:13.880, BYE 16:06:02.310.
@Suite struct MediaRuleTests {
    static let natCall = "field-guide/one-way-audio.txt"
    static let phoneSDP = "10.0.0.5:16384", phoneNAT = "203.0.113.50:31000", pbx = "198.51.100.10:40000"

    /// Answer time and call length of the NAT fixture.
    static func natTimes() throws -> (answer: Double, seconds: Double) {
        let trace = try Fixture.trace(natCall)
        let answer = SyntheticMedia.time(trace, status: 200)
        let bye = SyntheticMedia.time(trace, method: "BYE")
        return (answer, bye - answer)
    }

    static let unrelated = SyntheticMedia.stream("10.9.9.9:5000", "10.9.9.8:6000", start: 0, seconds: 10, ssrc: 0xBAD)

    // MARK: - One-way audio

    @Test func rtpSentToThePrivateSDPAddressIsProvenOneWayAudio() throws {
        let (t, n) = try Self.natTimes()
        let media = MediaCapture(streams: [
            SyntheticMedia.stream(Self.pbx, Self.phoneSDP, start: t + 0.1, seconds: n - 0.2, ssrc: 1),
            SyntheticMedia.stream(Self.phoneNAT, Self.pbx, start: t + 0.1, seconds: n - 0.2, ssrc: 2),
        ])
        let d = try Fixture.diagnose(Self.natCall, media: media)
        #expect(d.verdict.family == "one-way-audio")
        #expect(d.verdict.headline.contains("private address 10.0.0.5:16384"))
        #expect(d.verdict.outcome == .degraded)
        #expect(d.confidence.level == .high)
        #expect(d.evidenceText.contains("from public 198.51.100.10:40000"))
        #expect(d.evidenceText.contains("not from the advertised 10.0.0.5:16384"))
        #expect(d.evidenceText.contains("behind NAT"))
        // The signalling-only suspicion is still listed, after the proof.
        #expect(d.otherFindings.contains { $0.family == "nat-one-way-audio" })
        #expect(d.fixSteps.first?.contains("symmetric RTP") == true)
    }

    @Test func rtpOneWayOnlyIsProvenOneWayAudio() throws {
        let (t, n) = try Self.natTimes()
        // The PBX latches onto the phone's NAT address, but nothing comes back.
        let media = MediaCapture(streams: [SyntheticMedia.stream(Self.pbx, Self.phoneNAT, start: t + 0.1, seconds: n - 0.2, ssrc: 1), Self.unrelated])
        let d = try Fixture.diagnose(Self.natCall, media: media)
        #expect(d.verdict.family == "one-way-audio")
        #expect(d.verdict.headline.contains("PHONE -> 198.51.100.10:5060 none"))
        #expect(d.verdict.headline.contains("198.51.100.10:5060 hears nothing from PHONE"))
        #expect(d.verdict.responsibleSide?.hasPrefix("PHONE's network") == true)
        #expect(d.evidenceText.contains("no RTP to 198.51.100.10:40000 in 48.4 s of answered call"))
        #expect(d.evidenceText.contains("2412 RTP packets from 198.51.100.10:40000 to 203.0.113.50:31000"))
    }

    @Test func noRTPForAnAnsweredCallInACaptureWithRTPIsNoAudio() throws {
        let d = try Fixture.diagnose(Self.natCall, media: MediaCapture(streams: [Self.unrelated]))
        #expect(d.verdict.family == "one-way-audio")
        #expect(d.verdict.headline.hasPrefix("No audio either way"))
        #expect(d.confidence.level == .medium)
        #expect(d.evidenceText.contains("10.0.0.5:16384 (#1)"))
        #expect(d.media?.streams.isEmpty == true)
        #expect(d.media?.note.contains("none to or from this call's SDP addresses") == true)
    }

    /// A capture filtered to the signalling proves nothing about media: the
    /// verdict stays the signalling one, and the trace says why.
    @Test func captureWithoutAnyRTPProvesNothing() throws {
        let d = try Fixture.diagnose(Self.natCall, media: MediaCapture())
        #expect(d.verdict.family == "nat-one-way-audio")
        #expect(d.limitations.contains { $0.contains("holds no RTP at all") })
        #expect(!d.limitations.contains { $0.contains("(text)") })
    }

    /// The same NAT'd phone, but the PBX sends to where the phone's RTP
    /// comes from (latching): audio works, and the NAT suspicion is
    /// answered by the measurement.
    @Test func natHandledByLatchingIsNotOneWayAudio() throws {
        let (t, n) = try Self.natTimes()
        let media = MediaCapture(streams: [
            SyntheticMedia.stream(Self.pbx, Self.phoneNAT, start: t + 0.1, seconds: n - 0.2, ssrc: 1),
            SyntheticMedia.stream(Self.phoneNAT, Self.pbx, start: t + 0.1, seconds: n - 0.2, ssrc: 2),
        ])
        let d = try Fixture.diagnose(Self.natCall, media: media)
        #expect(d.verdict.family == "healthy")
        #expect(d.otherFindings.contains { $0.family == "nat-one-way-audio" && $0.headline.contains("NAT is handled") })
        let findings = try Fixture.findings(Self.natCall, media: media)
        #expect(!Fixture.flagsProblem("one-way-audio", in: findings))
        #expect(!Fixture.flagsProblem("nat-one-way-audio", in: findings))
        // The phone's stream is still this call's, and the NAT shows in it.
        let phone = try #require(d.media?.streams.first { $0.from == "PHONE" })
        #expect(phone.advertisedSource == "10.0.0.5:16384")
        #expect(phone.source == Self.phoneNAT)
        #expect(d.media?.streams.count == 2)
    }

    @Test func textTraceKeepsTheTextLimitationAndHasNoMediaSection() throws {
        let d = try Fixture.diagnose(Self.natCall)
        #expect(d.media == nil)
        #expect(d.limitations.contains { $0.hasPrefix("No RTP in this trace (text)") })
    }

    // MARK: - Hold is not one-way audio

    /// glare/near-miss.txt: the phone puts the call on hold at 14:22:28
    /// (a=sendonly, answered a=recvonly) until the BYE; the core's RTP
    /// stops then. One-way from there on is the hold.
    @Test func holdWithSendonlyIsNotOneWayAudio() throws {
        let answer = 51_725.403
        let media = MediaCapture(streams: [
            SyntheticMedia.stream("192.168.1.50:16384", "203.0.113.10:40000", start: answer + 0.1, seconds: 49.9, ssrc: 1),
            SyntheticMedia.stream("203.0.113.10:40000", "192.168.1.50:16384", start: answer + 0.1, seconds: 22.5, ssrc: 2),
        ])
        let findings = try Fixture.findings("glare/near-miss.txt", media: media)
        #expect(!Fixture.flagsProblem("one-way-audio", in: findings))
        #expect(!Fixture.flagsProblem("choppy-audio", in: findings))
        let d = try Fixture.diagnose("glare/near-miss.txt", media: media)
        #expect(d.verdict.outcome == .healthy)
    }

    /// Held (a=inactive) one second after the answer for the whole call:
    /// no RTP at all either way is what both ends asked for.
    @Test func callHeldInactiveAtOnceIsNotNoAudio() throws {
        let trace = try HoldTrace.trace(reInvites: [HoldTrace.ReInvite(at: 1, phoneDirection: "inactive", sbcDirection: "inactive")], duration: 30)
        var withMedia = trace
        withMedia.media = MediaCapture(streams: [Self.unrelated])
        let findings = try Fixture.findings(withMedia)
        #expect(!Fixture.flagsProblem("one-way-audio", in: findings))
    }

    /// The same held call with RTP one way while it is *not* held: now the
    /// silence is in expected time, and it is one-way audio.
    @Test func oneWayOutsideTheHoldIsStillCaught() throws {
        var trace = try HoldTrace.trace(reInvites: [HoldTrace.ReInvite(at: 20, phoneDirection: "inactive", sbcDirection: "inactive")], duration: 30)
        trace.media = MediaCapture(streams: [
            SyntheticMedia.stream("192.168.1.50:16384", "203.0.113.10:40000", start: HoldTrace.answer + 0.1, seconds: 19.8, ssrc: 1),
        ])
        let d = try Fixture.diagnose(trace)
        #expect(d.verdict.family == "one-way-audio")
        #expect(d.evidenceText.contains("in 20.1 s of answered call"))
        #expect(d.evidenceText.contains("set a=inactive (#5) (on hold)"))
    }

    /// Hold and resume: both streams pause for the hold and come back with
    /// the same SSRC, so the gap (and the jitter jump) is in the stream.
    /// It is the hold, not a network dropout.
    @Test func gapAcrossAHoldIsNotChoppyAudio() throws {
        var trace = try HoldTrace.trace(reInvites: [HoldTrace.ReInvite(at: 10, phoneDirection: "sendonly", sbcDirection: "recvonly"),
                                                    HoldTrace.ReInvite(at: 20)], duration: 40)
        let a = HoldTrace.answer
        trace.media = MediaCapture(streams: [
            SyntheticMedia.stream("192.168.1.50:16384", "203.0.113.10:40000", start: a + 0.1, seconds: 39.8, ssrc: 1),
            SyntheticMedia.stream("203.0.113.10:40000", "192.168.1.50:16384", start: a + 0.1, seconds: 39.8, ssrc: 2,
                                  maxJitterMs: 180, gapSeconds: 10.1, gapAt: a + 10.05),
        ])
        let findings = try Fixture.findings(trace)
        #expect(!Fixture.flagsProblem("choppy-audio", in: findings))
        #expect(!Fixture.flagsProblem("one-way-audio", in: findings))
        // Without the hold, the same gap is a dropout.
        var unheld = try HoldTrace.trace(reInvites: [], duration: 40)
        unheld.media = trace.media
        let d = try Fixture.diagnose(unheld)
        #expect(d.verdict.family == "choppy-audio")
        #expect(d.verdict.headline.contains("10100 ms dropout"))
    }

    /// A re-INVITE moves the phone's media to another port: the streams to
    /// the new port are the call's too.
    @Test func reInviteThatMovesTheMediaKeepsTheStreamsTied() throws {
        var trace = try HoldTrace.trace(reInvites: [HoldTrace.ReInvite(at: 10, phonePort: 16500)], duration: 30)
        let a = HoldTrace.answer
        trace.media = MediaCapture(streams: [
            SyntheticMedia.stream("192.168.1.50:16384", "203.0.113.10:40000", start: a + 0.1, seconds: 9.9, ssrc: 1),
            SyntheticMedia.stream("203.0.113.10:40000", "192.168.1.50:16384", start: a + 0.1, seconds: 9.9, ssrc: 2),
            SyntheticMedia.stream("192.168.1.50:16500", "203.0.113.10:40000", start: a + 10.1, seconds: 19.8, ssrc: 3),
            SyntheticMedia.stream("203.0.113.10:40000", "192.168.1.50:16500", start: a + 10.1, seconds: 19.8, ssrc: 4),
        ])
        let d = try Fixture.diagnose(trace)
        #expect(d.media?.streams.count == 4)
        #expect(d.media?.streams.allSatisfy { ($0.from == "PHONE" && $0.to == "SBC") || ($0.from == "SBC" && $0.to == "PHONE") } == true)
        #expect(d.verdict.outcome == .healthy)
    }

    // MARK: - Choppy audio

    @Test func lossAndJitterAreChoppyAudioWithTheMOSEstimate() throws {
        let (t, n) = try Self.natTimes()
        let media = MediaCapture(streams: [
            SyntheticMedia.stream(Self.pbx, Self.phoneNAT, start: t + 0.1, seconds: n - 0.2, ssrc: 1),
            SyntheticMedia.stream(Self.phoneNAT, Self.pbx, start: t + 0.1, seconds: n - 0.2, ssrc: 2, lossPercent: 4, jitterMs: 34),
        ])
        let d = try Fixture.diagnose(Self.natCall, media: media)
        #expect(d.verdict.family == "choppy-audio")
        #expect(d.verdict.headline.contains("PHONE -> 198.51.100.10:5060 lost 4 % of its RTP packets"))
        #expect(d.verdict.headline.contains("mean jitter 34 ms"))
        #expect(d.verdict.headline.contains("estimated MOS"))
        #expect(d.verdict.responsibleSide?.contains("between PHONE and the capture point") == true)
        #expect(d.evidenceText.contains("(E-model estimate)"))
        let row = try #require(d.media?.streams.first { $0.from == "PHONE" })
        #expect(row.mosEstimate < 4)
        #expect(row.lossPercent > 3.9 && row.lossPercent < 4.1)
    }

    @Test func justUnderTheThresholdsIsNotChoppy() throws {
        let (t, n) = try Self.natTimes()
        let media = MediaCapture(streams: [
            SyntheticMedia.stream(Self.pbx, Self.phoneNAT, start: t + 0.1, seconds: n - 0.2, ssrc: 1, lossPercent: 0.8, jitterMs: 28, maxJitterMs: 90, gapSeconds: 0.25),
            SyntheticMedia.stream(Self.phoneNAT, Self.pbx, start: t + 0.1, seconds: n - 0.2, ssrc: 2),
        ])
        let findings = try Fixture.findings(Self.natCall, media: media)
        #expect(!Fixture.flagsProblem("choppy-audio", in: findings))
        #expect(findings.contains { $0.family == "choppy-audio" && $0.outcome == .healthy })
    }

    /// Silence suppression: the phone talks in bursts with comfort noise
    /// and long silences between. Measured by the real collector, it is
    /// neither a dropout nor one-way audio.
    @Test func silenceSuppressionIsNotChoppyNorOneWay() throws {
        let (t, n) = try Self.natTimes()
        var collector = MediaCollector()
        SyntheticMedia.offer(SyntheticMedia.steady(start: t + 0.1, end: t + n - 0.1, ssrc: 1), from: Self.pbx, to: Self.phoneNAT, into: &collector)
        SyntheticMedia.offer(SyntheticMedia.talkspurts(start: t + 0.1, end: t + n - 0.1, talk: 2, silence: 6, ssrc: 2),
                             from: Self.phoneNAT, to: Self.pbx, into: &collector)
        let media = collector.finish()
        let phone = try #require(media.streams.first { $0.ssrc == 2 })
        #expect(phone.comfortNoisePackets > 3)
        #expect(phone.lost == 0)
        #expect(phone.largestGapSeconds < 0.1)
        let findings = try Fixture.findings(Self.natCall, media: media)
        #expect(!Fixture.flagsProblem("choppy-audio", in: findings))
        #expect(!Fixture.flagsProblem("one-way-audio", in: findings))
        #expect(try Fixture.diagnose(Self.natCall, media: media).verdict.family == "healthy")
    }

    // MARK: - Healthy, several legs

    /// field-guide/outbound-call.txt: PHONE -> CORE -> CARRIER, the core
    /// anchoring the media. Four clean streams, each named by its ends.
    @Test func healthyCallAcrossTwoLegsIsMeasuredAndNamed() throws {
        let answer = 51_725.455
        let media = MediaCapture(streams: [
            SyntheticMedia.stream("10.10.1.50:2222", "203.0.113.10:31002", start: answer + 0.1, seconds: 187, ssrc: 1),
            SyntheticMedia.stream("203.0.113.10:31002", "10.10.1.50:2222", start: answer + 0.1, seconds: 187, ssrc: 2),
            SyntheticMedia.stream("203.0.113.10:31000", "198.51.100.4:27842", start: answer + 0.1, seconds: 187, ssrc: 3),
            SyntheticMedia.stream("198.51.100.4:27842", "203.0.113.10:31000", start: answer + 0.1, seconds: 187, ssrc: 4),
        ])
        let d = try Fixture.diagnose("field-guide/outbound-call.txt", media: media)
        #expect(d.verdict.family == "healthy")
        let pairs = d.media?.streams.map { "\($0.from)>\($0.to)" } ?? []
        #expect(Set(pairs) == ["PHONE>CORE", "CORE>PHONE", "CORE>CARRIER", "CARRIER>CORE"])
        #expect(d.limitations.contains { $0.contains("RTP measured at the capture point (4 streams") })
        #expect(d.otherFindings.contains { $0.family == "choppy-audio" && $0.headline.hasPrefix("Audio measured clean") })
        #expect(d.fixSteps.first?.contains("RTP was measured") == true)
    }

    @Test func streamsOfAnotherTimeAreNotTied() throws {
        let answer = 51_725.455
        let later = SyntheticMedia.stream("10.10.1.50:2222", "203.0.113.10:31002", start: answer + 600, seconds: 60, ssrc: 9)
        let d = try Fixture.diagnose("field-guide/outbound-call.txt", media: MediaCapture(streams: [later]))
        #expect(d.media?.streams.isEmpty == true)
    }
}
