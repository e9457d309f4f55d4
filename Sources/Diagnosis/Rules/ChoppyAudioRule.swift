import TraceFormats

/// Choppy or robotic audio proven by the RTP of a capture: loss, jitter
/// and dropouts measured per stream at the capture point, what the
/// receivers' RTCP reports beyond it, and the E-model MOS estimate. The
/// endpoints' own end-of-call headers stay with `CallQualityRule`.
///
/// Thresholds (docs/media.md says why): loss 1 %, mean jitter 30 ms (the
/// same two as for endpoint-reported figures), jitter peaking at 100 ms
/// (past what a typical adaptive jitter buffer absorbs), a dropout of
/// 300 ms (far past what packet-loss concealment hides). Streams under
/// 50 packets (one second) are not judged. Silence suppression is not a
/// dropout (the meter leaves out pauses the sender chose), and a gap or
/// jitter peak that falls in a hold is the hold, not the network.
struct ChoppyAudioRule: DiagnosisRule {
    let family = "choppy-audio"
    static let lossPercent = 1.0
    static let meanJitterMs = 30.0
    static let peakJitterMs = 100.0
    static let gapMs = 300.0
    static let minimumPackets = 50

    struct Judged {
        var stream: CallMedia.Stream
        var issues: [String]
        /// True when the trouble shows only in the receiver's RTCP, i.e.
        /// after the capture point.
        var beyondCapture: Bool
    }

    func evaluate(_ c: CallContext) -> Finding? {
        guard let media = c.media else { return nil }
        let judged = media.streams.filter { $0.rtp.packets >= Self.minimumPackets }.map { judge($0, media) }
        guard !judged.isEmpty else { return nil }
        let evidence = judged.map { evidenceLine($0.stream) }
        let worstMOS = judged.map(\.stream.mosEstimate).min() ?? 4.5
        let bad = judged.filter { !$0.issues.isEmpty }
        guard let worst = bad.min(by: { $0.stream.mosEstimate < $1.stream.mosEstimate }) else {
            return Finding(family: family, role: .observation,
                           headline: "Audio measured clean in the capture: no loss or jitter above what users hear (estimated MOS \(Figure.text(worstMOS)))",
                           outcome: .healthy, responsibleSide: nil, evidence: evidence, fixSteps: [],
                           confidence: Confidence(.high, "RTP measured in the capture"))
        }
        let s = worst.stream
        let side = worst.beyondCapture
            ? "the network between the capture point and \(s.receiverName) (loss reported by RTCP)"
            : "the network between \(s.senderName) and the capture point (loss/jitter measured there)"
        return Finding(
            family: family, role: c.firstFailure == nil ? .callProblem : .observation,
            headline: "Choppy audio: \(s.senderName) -> \(s.receiverName) \(worst.issues.joined(separator: ", ")) (estimated MOS \(Figure.text(s.mosEstimate)))",
            outcome: .degraded, responsibleSide: side, evidence: evidence,
            fixSteps: [
                "Mark voice traffic with DSCP EF (46) and enable QoS on the routers and switches along \(s.senderName) -> \(s.receiverName).",
                "Reduce competing traffic on that uplink (backups, video) or give voice its own VLAN/bandwidth.",
                "Run a loss/jitter test on that path and quote these figures to the ISP or carrier.",
            ],
            confidence: Confidence(.high, "RTP measured in the capture; thresholds: \(Figure.text(Self.lossPercent)) % loss, \(Figure.text(Self.meanJitterMs)) ms mean jitter, \(Figure.text(Self.peakJitterMs)) ms peak jitter, \(Figure.text(Self.gapMs)) ms gap; MOS is an E-model estimate"))
    }

    func judge(_ s: CallMedia.Stream, _ media: CallMedia) -> Judged {
        let r = s.rtp
        var issues: [String] = []
        var measured = false
        if r.lossPercent >= Self.lossPercent {
            issues.append("lost \(Figure.text(r.lossPercent)) % of its RTP packets (\(r.lost) of \(r.expected))")
            measured = true
        }
        if r.clockRate > 0, r.jitterMeanMs >= Self.meanJitterMs {
            issues.append("mean jitter \(Figure.text(r.jitterMeanMs)) ms")
            measured = true
        }
        // A resume after hold can jump both the gap and the jitter: the hold, not the network.
        var path: CallMedia.Path?
        if let from = s.sender, let to = s.receiver { path = media.path(from: from, to: to) }
        let gapEnd = r.largestGapAt + r.largestGapSeconds
        let inHold = path.map { media.isQuiet(r.largestGapAt, on: $0) || media.isQuiet(gapEnd, on: $0) } ?? false
        if !inHold, r.clockRate > 0, r.jitterMaxMs >= Self.peakJitterMs {
            issues.append("jitter peaking at \(Figure.text(r.jitterMaxMs)) ms")
            measured = true
        }
        if !inHold, r.largestGapSeconds * 1000 >= Self.gapMs {
            issues.append("a \(Figure.text(r.largestGapSeconds * 1000)) ms dropout at \(LadderTime.clock(r.largestGapAt))")
            measured = true
        }
        if let reported = s.rtcp.meanFractionLostPercent, reported >= Self.lossPercent {
            issues.append("\(s.receiverName)'s RTCP reports \(Figure.text(reported)) % lost")
        }
        return Judged(stream: s, issues: issues, beyondCapture: !measured && !issues.isEmpty)
    }

    func evidenceLine(_ s: CallMedia.Stream) -> Evidence {
        let r = s.rtp
        var text = "\(s.senderName) -> \(s.receiverName) (\(s.codec ?? "?"), SSRC \(r.ssrcText)): \(r.packets) packets, \(r.lost) lost of \(r.expected) (\(Figure.text(r.lossPercent)) %)"
        if r.duplicates > 0 { text += ", \(r.duplicates) duplicated" }
        if r.outOfOrder > 0 { text += ", \(r.outOfOrder) out of order" }
        if r.clockRate > 0 {
            text += ", jitter mean \(Figure.text(r.jitterMeanMs)) ms / max \(Figure.text(r.jitterMaxMs)) ms"
        } else {
            text += ", jitter not measured (\(r.clockRateSource))"
        }
        text += ", largest gap \(Figure.text(r.largestGapSeconds * 1000)) ms"
        if let rtt = s.rtcp.roundTripMs { text += ", RTCP round trip \(Figure.text(rtt)) ms" }
        if let loss = s.rtcp.meanFractionLostPercent { text += ", RTCP-reported loss \(Figure.text(loss)) %" }
        if let mos = s.rtcp.voip?.mosLQ { text += ", endpoint's own MOS-LQ \(Figure.text(mos)) (RTCP XR)" }
        text += ", estimated MOS \(Figure.text(s.mosEstimate)) (E-model estimate)"
        return Evidence(text)
    }
}
