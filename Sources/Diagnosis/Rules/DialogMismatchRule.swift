import SIPCore

/// 481 Call/Transaction Does Not Exist: a BYE, ACK or re-INVITE whose tags
/// or CSeq match no dialog the receiver knows.
struct DialogMismatchRule: DiagnosisRule {
    let family = "dialog-mismatch"

    func evaluate(_ c: CallContext) -> Finding? {
        guard c.failureCode == 481, let f = c.firstFailure, let req = c.failedRequest else { return nil }
        let request = c.message(req)
        var evidence = [c.failureEvidence()!]
        evidence.append(Evidence("\(request.method ?? "request") CSeq \(request["cseq"] ?? "?"), From tag \(request.from?.tag ?? "none"), To tag \(request.to?.tag ?? "none")", messages: [c.ref(req)]))
        // Compare with the dialog the INVITE set up.
        if let answer = c.distinct.first(where: { c.message($0).cseq?.method == "INVITE" && (200..<300).contains(c.message($0).statusCode ?? 0) && c.message($0).callID == request.callID }) {
            let ok = c.message(answer)
            let fromTag = ok.from?.tag, toTag = ok.to?.tag
            let sameDirection = c.participants.ends[req].from == c.participants.ends[answer].to
            let expectedLocal = sameDirection ? fromTag : toTag
            let expectedRemote = sameDirection ? toTag : fromTag
            if request.from?.tag != expectedLocal || request.to?.tag != expectedRemote {
                evidence.append(Evidence("the dialog set up by \(ok.summary) has tags \(expectedLocal ?? "?")/\(expectedRemote ?? "?"): the \(request.method ?? "request") does not match them", messages: [c.ref(answer), c.ref(req)]))
            }
        } else {
            evidence.append(Evidence("no established dialog for this Call-ID in the trace: the receiver may have lost it (restart, failover)"))
        }
        return Finding(family: family, role: .explainsFirstFailure,
                       headline: "\(request.method ?? "Request") refused with 481: \(c.sender(f.position)) knows no such dialog",
                       outcome: .failed, responsibleSide: "requester: \(c.receiver(f.position)) (out-of-sequence or stale dialog)",
                       evidence: evidence,
                       fixSteps: ["Compare CSeq and tags across hops to find where the dialog state diverged.",
                                  "Check for a failover or restart on \(c.sender(f.position)) that lost dialog state.",
                                  "Update the phone's firmware: out-of-sequence ACK/BYE is a known firmware bug."],
                       confidence: Confidence(.medium, "481 shows the mismatch; its origin may lie outside the trace"))
    }
}
