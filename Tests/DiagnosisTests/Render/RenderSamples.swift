import Diagnosis

/// Hand-built diagnoses the renderer tests read, so they do not depend on
/// the diagnosis rules.
enum RenderSamples {
    /// A healthy call through the core: phone, core, carrier; two legs.
    static let healthy: Diagnosis = {
        let a = "89f3a1b2-c4d5-6e7f@10.10.1.50", b = "89f3a1b2-c4d5-6e7f@nscore.example.com"
        let t0 = 1_795_486_387.103 // 2026-11-24 02:13:07.103 UTC, epoch seconds
        func row(_ i: Int, _ dt: Double, _ f: Int, _ t: Int, _ l: String, sdp: Bool = false, count: Int = 1, leg: String) -> LadderRow {
            LadderRow(messageIndex: i, time: t0 + dt, from: f, to: t, label: l, hasSDP: sdp, count: count,
                      callID: leg, isFirstFailure: false)
        }
        return Diagnosis(
            callID: a,
            verdict: Verdict(family: "healthy", headline: "Call connected and ended normally", outcome: .healthy, responsibleSide: nil),
            firstFailure: nil, state: .completed,
            legs: [LegInfo(callID: a, tiedBy: nil, messageCount: 5),
                   LegInfo(callID: b, tiedBy: "same local part before @", messageCount: 4)],
            participants: [Participant(name: "PHONE", address: "10.10.1.50:5060", namedBy: .traceLabel),
                           Participant(name: "CORE", address: "10.0.0.5:5060", namedBy: .traceLabel),
                           Participant(name: "CARRIER", address: "203.0.113.9:5060", namedBy: .peerMap)],
            ladder: [row(1, 0, 0, 1, "INVITE", sdp: true, leg: a),
                     row(2, 0.010, 1, 0, "100 Trying", leg: a),
                     row(3, 0.020, 1, 2, "INVITE", sdp: true, leg: b),
                     row(4, 0.300, 2, 1, "180 Ringing", count: 3, leg: b),
                     row(5, 4.100, 2, 1, "200 OK", sdp: true, leg: b),
                     row(6, 4.110, 1, 0, "200 OK", sdp: true, leg: a),
                     row(7, 4.200, 0, 1, "ACK", leg: a),
                     row(8, 64.0, 0, 2, "BYE", leg: a),
                     row(9, 64.1, 1, 1, "OPTIONS", leg: a)],
            evidence: [Evidence("Offer and answer agree on PCMU", messages: [1, 6])],
            fixSteps: [],
            limitations: ["The trace has no RTP, so audio was not checked."],
            confidence: Confidence(.medium, "Signalling is clean; media could not be checked."))
    }()

    /// A 488 codec mismatch across four participants, first failure at #7.
    static let codecMismatch: Diagnosis = {
        let id = "a84b4c76e66710@pc33.example.com"
        func row(_ i: Int, _ t: Double?, _ f: Int, _ to: Int, _ l: String, sdp: Bool = false, count: Int = 1, first: Bool = false) -> LadderRow {
            LadderRow(messageIndex: i, time: t, from: f, to: to, label: l, hasSDP: sdp, count: count, callID: id, isFirstFailure: first)
        }
        let t = 51_721.103 // 14:22:01.103, a time of day
        return Diagnosis(
            callID: id,
            verdict: Verdict(family: "codec-mismatch",
                             headline: "Call rejected: 488 codec mismatch (G.722 offered, G.711 only)",
                             outcome: .failed, responsibleSide: "caller's phone"),
            firstFailure: FirstFailureRef(messageIndex: 7, summary: "488 Not Acceptable Here", callID: id,
                                          explanation: "The carrier refused the offer: it lists G.722 only and the carrier accepts G.711 only. Nothing before it failed."),
            state: .rejected,
            legs: [LegInfo(callID: id, tiedBy: nil, messageCount: 9)],
            participants: [Participant(name: "PHONE", address: "192.168.1.20:5060", namedBy: .heuristic),
                           Participant(name: "SBC", address: "203.0.113.10:5060", namedBy: .peerMap),
                           Participant(name: "CORE", address: "10.0.0.5:5060", namedBy: .traceLabel),
                           Participant(name: "CARRIER-WITH-A-LONG-NAME", address: "[2001:db8:1234:5678::99]:5060", namedBy: .address)],
            ladder: [row(1, t, 0, 1, "INVITE", sdp: true, count: 3),
                     row(2, t + 0.01, 1, 0, "100 Trying"),
                     row(3, t + 0.02, 1, 2, "INVITE", sdp: true),
                     row(5, t + 0.03, 2, 3, "INVITE", sdp: true),
                     row(7, t + 0.25, 3, 2, "488 Not Acceptable Here", first: true),
                     row(8, t + 0.26, 2, 3, "ACK"),
                     row(9, t + 0.27, 2, 0, "488 Not Acceptable Here"),
                     row(10, t + 0.28, 0, 2, "ACK"),
                     row(11, t + 0.29, 3, 3, "OPTIONS"),
                     row(12, nil, 0, 9, "NOTIFY")],
            evidence: [Evidence("The offer lists G.722 (payload type 9) only", messages: [1]),
                       Evidence("Warning: 304 \"Media type not available\"", messages: [7])],
            fixSteps: ["Add G.711 (PCMU, PCMA) to the phone's codec list.",
                       "Or enable transcoding on the SBC for this trunk.",
                       "If neither is possible, ask the carrier whether G.722 can be accepted on the trunk; quote the 488 and the Warning header from message #7 of this trace."],
            limitations: ["No RTP in a text trace: media was not checked."],
            confidence: Confidence(.high, "A 488 answering an offer with no common codec."),
            otherFindings: [FindingSummary(family: "retransmission", headline: "INVITE sent 3 times before the SBC answered")],
            warnings: ["message #4 ignored: not SIP"])
    }()

    /// A capture of a choppy call: the healthy call's ladder with measured
    /// streams, one with an unknown clock (no jitter), long names and an
    /// IPv6 address to stress the table's width.
    static let measured: Diagnosis = {
        var d = healthy
        d.verdict = Verdict(family: "choppy-audio", headline: "Choppy audio: CARRIER -> CORE lost 4.2 % of its RTP packets (estimated MOS 3.6)",
                            outcome: .degraded, responsibleSide: "the network between CARRIER and the capture point")
        d.limitations = ["RTP measured at the capture point (3 streams of this call)."]
        func row(_ from: String, _ to: String, _ src: String, _ dst: String, codec: String, packets: Int, lost: Int, jitter: Double?,
                 rtcp: RTCPSummary? = nil, advertised: String? = nil) -> MediaStreamSummary {
            MediaStreamSummary(from: from, to: to, source: src, destination: dst, advertisedSource: advertised, ssrc: "0x1A2B3C4D",
                               codec: codec, payloadTypes: [0, 101], packets: packets, expected: packets + lost, lost: lost,
                               lossPercent: Double(lost) * 100 / Double(packets + lost), duplicates: 2, outOfOrder: 1,
                               jitterMeanMs: jitter, jitterMaxMs: jitter.map { $0 * 3 }, largestGapMs: 420, startTime: 1_795_486_391.3,
                               durationSeconds: 59.8, comfortNoisePackets: 0, mosEstimate: 3.6, rtcp: rtcp)
        }
        d.media = MediaSummary(streams: [
            row("CARRIER", "CORE", "[2001:db8:1234:5678:9abc:def0:1234:5678]:27842", "203.0.113.10:31000", codec: "PCMU", packets: 2870, lost: 126, jitter: 12.25,
                rtcp: RTCPSummary(reports: 12, reportedLossPercent: 4.1, reportedJitterMs: 11, roundTripMs: 84.5, endpointMOS: 3.4, endpointRFactor: 68)),
            row("A-PARTICIPANT-WITH-A-VERY-LONG-NAME", "CORE", "10.10.1.50:2222", "203.0.113.10:31002", codec: "telephone-event", packets: 2990, lost: 0, jitter: nil,
                advertised: "192.168.7.7:2222"),
            row("CORE", "PHONE", "203.0.113.10:31002", "10.10.1.50:2222", codec: "PCMA", packets: 2990, lost: 0, jitter: 0.4),
        ], captureStreamCount: 7, note: "Measured at the capture point. MOS is an E-model estimate.")
        return d
    }()
}
