import SIPCore

/// A 3xx nobody followed in the trace. A redirect is an answer, not a
/// refusal: the caller is told where to try next. When the trace stops
/// right after it, the follow-up INVITE simply is not in it (another
/// capture point, another Call-ID); only a trace that goes on without it
/// shows the caller ignoring the redirect.
struct RedirectRule: DiagnosisRule {
    let family = "redirect"

    func evaluate(_ c: CallContext) -> Finding? {
        guard let code = c.failureCode, (300..<400).contains(code), let f = c.firstFailure else { return nil }
        let m = c.message(f.position)
        let targets = m.contacts.compactMap { $0.uri?.raw }
        let target = targets.isEmpty ? "no Contact (nowhere to go)" : targets.joined(separator: ", ")
        var evidence = [c.failureEvidence()!]
        evidence.append(Evidence(targets.isEmpty ? "the \(code) gives no Contact to redirect to"
                                                 : "Contact: \(target): where the caller was told to send the call", messages: [c.ref(f.position)]))
        if let diversion = m["diversion"] ?? m["history-info"] {
            evidence.append(Evidence("diverted: \(diversion)", messages: [c.ref(f.position)]))
        }
        evidence += c.reasonEvidence(f.position)
        // What came after the redirect, other than the ACK that closes it.
        let after = c.distinct.filter { $0 > f.position && c.message($0).isRequest && c.message($0).method != "ACK" }
        let caller = c.receiver(f.position), redirector = c.sender(f.position)
        let recursion = "enable 3xx handling (redirect recursion) on \(caller), or have \(redirector) forward the call itself instead of redirecting it"
        guard let next = after.first else {
            return Finding(family: family, role: .explainsFirstFailure,
                           headline: "Redirected to \(target) (\(m.summary) from \(redirector)); the trace ends before the redirect was followed",
                           outcome: .notAFault, responsibleSide: "none proven: \(redirector) redirected the call, as it may",
                           evidence: evidence,
                           fixSteps: ["Get the trace of the follow-up INVITE to \(target) (it may carry another Call-ID, or pass another capture point) to see how the call ended.",
                                      "If \(caller) never sends it, \(recursion)."],
                           limitations: ["The trace ends after the \(code): whether the redirect was followed, and how, is not in it."],
                           confidence: Confidence(.medium, "a redirect is an answer, not a failure; what followed it is not in the trace"))
        }
        let to = c.message(next).requestURI.map { " to \($0)" } ?? ""
        evidence.append(Evidence("\(c.sender(next)) sent \(c.message(next).method ?? "a request")\(to) (#\(c.ref(next))), not an INVITE to the Contact", messages: [c.ref(next)]))
        return Finding(family: family, role: .explainsFirstFailure,
                       headline: "Redirected to \(target) (\(m.summary) from \(redirector)), but \(caller) did not follow the redirect",
                       outcome: .failed, responsibleSide: "requester: \(caller) (does not act on 3xx)",
                       evidence: evidence,
                       fixSteps: [recursion.prefix(1).uppercased() + recursion.dropFirst() + ".",
                                  "Check the Contact \(target) is a destination \(caller) may call (dial permissions, routing)."],
                       confidence: Confidence(.medium, "the trace goes on after the \(code) without an INVITE to its Contact"))
    }
}
