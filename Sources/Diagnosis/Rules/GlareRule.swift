import SIPCore

/// 491 Request Pending that was not resolved by a retry: two re-INVITEs
/// crossed in one dialog (hold/resume at both ends).
struct GlareRule: DiagnosisRule {
    let family = "glare"

    func evaluate(_ c: CallContext) -> Finding? {
        guard c.failureCode == 491, let f = c.firstFailure, let req = c.failedRequest else { return nil }
        var evidence = [c.failureEvidence()!]
        let callID = c.message(req).callID
        let crossing = c.requests("INVITE").filter { $0 != req && c.message($0).callID == callID && c.message($0).to?.tag != nil
            && c.participants.ends[$0].from != c.participants.ends[req].from }
        if let other = crossing.first {
            evidence.append(Evidence("\(c.sender(other)) sent its own re-INVITE (#\(c.ref(other))) while \(c.sender(req))'s (#\(c.ref(req))) was pending", messages: [c.ref(other), c.ref(req)]))
        }
        evidence.append(Evidence("no successful retry of the re-INVITE after the 491"))
        return Finding(family: family, role: .explainsFirstFailure,
                       headline: "Glare: crossing re-INVITEs (491 Request Pending) and the retry never succeeded",
                       outcome: .failed, responsibleSide: "both ends: \(c.sender(req)) and \(c.receiver(req)) modified the session at once",
                       evidence: evidence,
                       fixSteps: ["Retry the re-INVITE after the random back-off RFC 3261 prescribes (2.1-4 s for the dialog owner, 0-2 s otherwise).",
                                  "Check the hold/resume logic on both phones (or the PBX feature) that fires re-INVITEs at the same moment."],
                       confidence: Confidence(crossing.isEmpty ? .medium : .high, crossing.isEmpty ? "491 seen, the crossing request is not in the trace" : "both crossing requests are in the trace"))
    }
}
