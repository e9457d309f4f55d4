import SIPCore

/// 408 Request Timeout, 504, or an INVITE that never got a final response:
/// the next hop went silent.
struct NoAnswerRule: DiagnosisRule {
    let family = "no-answer"

    func evaluate(_ c: CallContext) -> Finding? {
        guard let f = c.firstFailure else { return nil }
        let silent: Int
        var evidence: [Evidence] = []
        switch f.kind {
        case .noFinalResponse:
            silent = f.position
        case .response(let code) where code == 408 || code == 504:
            // The hop that went silent is where the last unanswered INVITE went.
            silent = c.flow.transactions.last { $0.method == "INVITE" && $0.finalResponse == nil && $0.request < f.position }?.request
                ?? c.failedRequest ?? f.position
            evidence.append(c.failureEvidence()!)
        default:
            return nil
        }
        let request = c.message(silent)
        let sends = c.flow.sendCount[silent]
        var text = "\(request.method ?? "request") to \(c.describeReceiver(silent)) sent \(sends) time\(sends == 1 ? "" : "s")"
        let copies = c.messages.indices.filter { $0 == silent || c.flow.repeatOf[$0] == silent }
        if let t0 = c.messages[silent].timestamp, let tn = copies.last.flatMap({ c.messages[$0].timestamp }), sends > 1 {
            text += " over \(Figure.text(tn - t0)) s"
        }
        let provisional = c.flow.transaction(of: silent)?.responses.filter { (c.message($0).statusCode ?? 0) < 200 } ?? []
        text += provisional.isEmpty ? ", no response at all" : ", only \(provisional.map { c.message($0).summary }.joined(separator: ", ")) came back"
        evidence.insert(Evidence(text, messages: copies.map(c.ref)), at: 0)
        if let t0 = c.messages[silent].timestamp, let end = c.messages.last?.timestamp {
            evidence.append(Evidence("\(Figure.text(end - t0)) s from the \(request.method ?? "request") to the end of the trace (timer B is 32 s)"))
        }
        let hop = c.receiver(silent)
        return Finding(
            family: family, role: .explainsFirstFailure,
            headline: "No answer from \(hop): \(request.method ?? "request") timed out\(f.statusCode.map { " (\($0))" } ?? " with no final response")",
            outcome: .failed, responsibleSide: "next hop: \(hop) (unreachable or not answering)",
            evidence: evidence,
            fixSteps: [
                "Check \(hop)'s status (carrier status page, trunk status) and whether it is reachable from our side.",
                "Check that our signalling IP is on \(hop)'s allowlist, and whether our outbound IP changed after a failover or maintenance.",
                "Fail over to another trunk if one is configured.",
                "Open a ticket with \(hop) and attach the pcap.",
            ],
            confidence: Confidence(.high, "the request was retransmitted or timed out with no final response"))
    }
}
