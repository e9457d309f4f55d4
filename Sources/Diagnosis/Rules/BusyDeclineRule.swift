import SIPCore

/// 486 Busy Here, 600 Busy Everywhere, 603 Decline: the callee chose; not
/// a fault, unless a 603 came with a failed STIR/SHAKEN verification
/// (spam labelling).
struct BusyDeclineRule: DiagnosisRule {
    let family = "busy-or-declined"

    func evaluate(_ c: CallContext) -> Finding? {
        guard let code = c.failureCode, [486, 600, 603].contains(code), let f = c.firstFailure else { return nil }
        var evidence = [c.failureEvidence()!] + c.reasonEvidence(f.position)
        let verstatFailed = c.distinct.contains { c.message($0).verstat == .failed }
        if code == 603 && verstatFailed {
            evidence.append(Evidence("verstat=TN-Validation-Failed was delivered to the callee: the call was likely labelled as spam and declined"))
            return Finding(family: family, role: .explainsFirstFailure,
                           headline: "Call declined (603) after failed caller-ID verification: likely spam labelling",
                           outcome: .failed, responsibleSide: "originating side: caller-ID attestation",
                           evidence: evidence,
                           fixSteps: ["Get full (A) attestation for the calling number.", "Register the number with the carriers' analytics (spam-labelling) registries."],
                           confidence: Confidence(.medium, "603 with a failed verstat"))
        }
        let word = code == 603 ? "declined" : "busy"
        return Finding(family: family, role: .explainsFirstFailure,
                       headline: "Not a fault: callee \(word) (\(c.message(f.position).summary))",
                       outcome: .notAFault, responsibleSide: "callee (a person's choice or state)",
                       evidence: evidence,
                       fixSteps: ["Nothing to fix: the callee was \(word). If the user says the callee was free, check call-waiting and DND on the callee's device."],
                       confidence: Confidence(.high, "\(code) is the callee's own answer"))
    }
}
