import SIPCore

/// Choppy or robotic audio proven by the endpoints' own end-of-call RTP
/// statistics, with the E-model MOS estimate.
struct CallQualityRule: DiagnosisRule {
    let family = "call-quality"
    /// Above these, users hear it: 1 % loss without FEC, 30 ms jitter
    /// (a typical jitter buffer's comfort limit).
    static let lossThresholdPercent = 1.0
    static let jitterThresholdMs = 30.0

    func evaluate(_ c: CallContext) -> Finding? {
        var reports: [(Int, RTPStatReport)] = []
        for i in c.distinct {
            for name in RTPStatReport.headerNames {
                if let v = c.message(i)[name], let r = RTPStatReport(header: name, value: v) { reports.append((i, r)) }
            }
        }
        guard !reports.isEmpty else { return nil }
        var evidence: [Evidence] = []
        var bad = false
        var worstMOS = 4.5
        for (i, r) in reports {
            let codec = r.codec ?? c.offerAnswer.answer.flatMap { c.sdp($0)?.audio?.voiceCodecs.first }
            let loss = r.lossPercent ?? 0
            let jitter = r.jitterMs ?? 0
            let mos = EModel.mos(r: EModel.rFactor(lossPercent: loss, oneWayDelayMs: EModel.estimatedDelay(jitterMs: jitter, latencyMs: r.latencyMs), codec: codec))
            worstMOS = min(worstMOS, mos)
            var text = "\(r.header) from \(c.sender(i)):"
            if let lp = r.lossPercent { text += " loss \(Figure.text(lp)) % (\(r.packetsLost ?? 0) of \((r.packetsLost ?? 0) + (r.packetsReceived ?? 0)) packets)" }
            if let j = r.jitterMs { text += ", jitter \(Figure.text(j)) ms" }
            if let l = r.latencyMs, l > 0 { text += ", latency \(Figure.text(l)) ms" }
            text += ", estimated MOS \(Figure.text(mos)) (E-model estimate\(codec.map { ", \($0)" } ?? ""))"
            evidence.append(Evidence(text, messages: [c.ref(i)]))
            if loss >= Self.lossThresholdPercent || jitter >= Self.jitterThresholdMs { bad = true }
        }
        guard bad else {
            return Finding(family: family, role: .observation, headline: "Call quality fine by the endpoints' RTP statistics (estimated MOS \(Figure.text(worstMOS)))",
                           outcome: .healthy, responsibleSide: nil, evidence: evidence, fixSteps: [],
                           confidence: Confidence(.medium, "endpoint-reported statistics"))
        }
        return Finding(
            family: family, role: c.firstFailure == nil ? .callProblem : .observation,
            headline: "Choppy audio: packet loss or jitter above what users tolerate (estimated MOS \(Figure.text(worstMOS)))",
            outcome: .degraded, responsibleSide: "access network between the phone and the platform (loss/jitter)",
            evidence: evidence,
            fixSteps: [
                "Mark voice traffic with DSCP EF (46) and enable QoS on the customer's router and switches.",
                "Reduce competing traffic on the uplink (backups, video) or give voice its own VLAN/bandwidth.",
                "Check the ISP link for loss (run a loss/jitter test to the SBC) and quote these figures to the ISP.",
            ],
            confidence: Confidence(.medium, "figures are the endpoints' own reports; thresholds: \(Figure.text(Self.lossThresholdPercent)) % loss, \(Figure.text(Self.jitterThresholdMs)) ms jitter"))
    }
}
