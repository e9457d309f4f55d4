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
            case 489:
                // RFC 6665: the server does not take the event package the
                // request carried (presence, dialog for BLF, message-summary).
                let request = c.failedRequest.map(c.message)
                let event = request?["event"] ?? "its"
                let method = request?.method ?? m.cseq?.method ?? "request"
                if let request, let value = request["event"], let at = c.failedRequest {
                    evidence.append(Evidence("Event: \(value) in the \(method)", messages: [c.ref(at)]))
                }
                var steps = ["\(c.sender(f.position)) does not accept the \"\(event)\" event package the \(method) carried: turn that feature (presence, BLF, voicemail indicator) off on \(c.receiver(f.position)), or enable the package on \(c.sender(f.position))."]
                if ["PUBLISH", "SUBSCRIBE", "NOTIFY"].contains(method) {
                    steps.append("A refused \(method) touches no call: diagnose a failing call by its own Call-ID.")
                }
                fix = steps
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
        // A PUBLISH or OPTIONS refused is no call failing: name what was asked.
        let asked = c.failedRequest.flatMap { c.message($0).method } ?? m.cseq?.method ?? "INVITE"
        if let q = m.q850Cause { evidence.append(Evidence("cause \(q.value) means: \(q.name)")) }
        return Finding(family: family, role: .explainsFirstFailure,
                       headline: "\(asked == "INVITE" ? "Call" : asked) failed: \(m.summary) from \(c.sender(f.position))",
                       outcome: .failed, responsibleSide: side, evidence: evidence, fixSteps: fix,
                       confidence: Confidence(.medium, "the failure is clear; no specific rule names its cause"))
    }
}
