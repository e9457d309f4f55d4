import SIPCore

/// A 2xx to INVITE resent with no ACK, then a BYE about 32 s after the
/// answer: the call "drops after 30 seconds" because the ACK never arrives.
struct MissingACKRule: DiagnosisRule {
    let family = "missing-ack"

    func evaluate(_ c: CallContext) -> Finding? {
        guard let f = c.firstFailure, f.kind == .noACK else { return nil }
        let ok = c.message(f.position)
        var evidence = [Evidence("\(ok.summary) from \(c.describeSender(f.position)) sent \(c.flow.sendCount[f.position]) times, no ACK came back", messages: [c.ref(f.position)])]
        if let bye = c.requests("BYE").first(where: { $0 > f.position }) {
            var text = "BYE from \(c.sender(bye))"
            if let t0 = c.messages[f.position].timestamp, let t1 = c.messages[bye].timestamp {
                text += " \(Figure.text(t1 - t0)) s after the answer"
            }
            evidence.append(Evidence(text, messages: [c.ref(bye)]))
        }
        var natHint = false
        for contact in ok.contacts {
            if let host = contact.uri?.host, AddressClass(host).isUnroutable {
                evidence.append(Evidence("the 200 OK's Contact is \(host), a \(AddressClass(host).rawValue) address the ACK cannot reach", messages: [c.ref(f.position)]))
                natHint = true
            }
        }
        let rr = ok.values("record-route")
        if !rr.isEmpty { evidence.append(Evidence("Record-Route: \(rr.joined(separator: ", "))", messages: [c.ref(f.position)])) }
        return Finding(
            family: family, role: .explainsFirstFailure,
            headline: "Call drops after ~32 s: the 200 OK was never acknowledged (ACK lost)",
            outcome: .failed, responsibleSide: "path back to \(c.sender(f.position)): Contact/Record-Route unreachable (NAT or SIP ALG)",
            evidence: evidence,
            fixSteps: [
                "Make the 200 OK's Contact and Record-Route reachable from the caller: fix the advertised address\(natHint ? " (it is private)" : "").",
                "Disable SIP ALG on the customer's router.",
                "Enable signalling and media anchoring (NAT traversal) on the SBC for this device.",
            ],
            confidence: Confidence(.high, "2xx retransmitted without an ACK"))
    }
}
