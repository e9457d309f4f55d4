import SIPCore

/// Any first failure no specific rule explains: the class of the response
/// says which side must act.
struct GenericFailureRule: DiagnosisRule {
    let family = "sip-failure"

    func evaluate(_ c: CallContext) -> Finding? {
        guard let f = c.firstFailure else { return nil }
        let m = c.message(f.position)
        var evidence = [c.failureEvidence()!] + c.reasonEvidence(f.position)
        let fix: [String]
        let side: String
        switch f.kind {
        case .response(let code):
            side = c.responsibleSide(forResponseAt: f.position)
            switch code {
            case 400..<500:
                fix = ["Look at what \(c.receiver(f.position)) asked for: \(code) means \(c.sender(f.position)) refused this request as sent (check the Request-URI, headers and SDP).",
                       "Compare with a call that works from the same device to see which header differs."]
            case 500..<600:
                fix = ["Check \(c.sender(f.position))'s health and logs at the time of the call.",
                       "If it is a carrier or trunk, fail over and open a ticket with the pcap."]
            default:
                fix = ["A \(code) is a global answer from the far end: confirm with the called party or carrier whether the call should have been accepted."]
            }
        case .noFinalResponse, .noACK:
            side = c.receiver(f.position)
            fix = ["Check reachability of \(c.receiver(f.position)) from \(c.sender(f.position))."]
        }
        if let q = m.q850Cause { evidence.append(Evidence("cause \(q.value) means: \(q.name)")) }
        return Finding(family: family, role: .explainsFirstFailure,
                       headline: "Call failed: \(m.summary) from \(c.sender(f.position))",
                       outcome: .failed, responsibleSide: side, evidence: evidence, fixSteps: fix,
                       confidence: Confidence(.medium, "the failure is clear; no specific rule names its cause"))
    }
}
