import SIPCore

/// 491 Request Pending: two re-INVITEs (or UPDATEs) crossed in one
/// dialog (hold/resume at both ends). Unresolved, it explains the first
/// failure; resolved by a retry (RFC 3261 section 14.1), it is still
/// reported, as an observation: it is why a hold or a codec change came
/// seconds late, and it never makes the call's audio one-way.
struct GlareRule: DiagnosisRule {
    let family = "glare"

    func evaluate(_ c: CallContext) -> Finding? {
        guard c.failureCode == 491 else { return resolved(c) }
        guard let f = c.firstFailure, let req = c.failedRequest else { return nil }
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

    // MARK: - Resolved by a retry

    func resolved(_ c: CallContext) -> Finding? {
        let pending = c.distinct.filter { p in
            let m = c.message(p)
            return m.statusCode == 491 && (m.cseq?.method == "INVITE" || m.cseq?.method == "UPDATE")
        }
        guard let first = pending.first, let answered = c.flow.transaction(of: first)?.request else { return nil }
        let req = origin(of: answered, c)
        let method = c.message(req).method ?? "INVITE"
        let callID = c.message(req).callID
        let cseq = c.message(req).cseq?.number
        let refused = Set(pending.compactMap { c.flow.transaction(of: $0)?.request }.map { origin(of: $0, c) })
        // The other side's request: a different transaction of the same
        // dialog that was refused too, or sent before the 491 came back.
        let until = c.messages[first].timestamp ?? .infinity
        let crossing = c.requests(method).first { p in
            p != req && c.message(p).callID == callID && c.message(p).to?.tag != nil && c.message(p).cseq?.number != cseq
                && (refused.contains(p) || (c.messages[p].timestamp ?? .infinity) <= until)
        }.map { origin(of: $0, c) }
        // Either side's retry resolves it (RFC 3261 section 14.1: whoever's back-off ends first).
        let retry = c.requests(method).first { p in
            c.ref(p) > c.ref(first) && c.message(p).callID == callID && c.message(p).to?.tag != nil && !refused.contains(origin(of: p, c))
                && c.flow.transaction(of: p).map(c.flow.succeeded) == true
        }.map { origin(of: $0, c) }
        guard let retry else { return nil }
        var evidence: [Evidence] = []
        if let other = crossing {
            evidence.append(Evidence("\(c.sender(req))'s re-\(method) (#\(c.ref(req))) and \(c.sender(other))'s (#\(c.ref(other))) crossed in the dialog", messages: [c.ref(req), c.ref(other)]))
        } else {
            evidence.append(Evidence("\(c.sender(req))'s re-\(method) (#\(c.ref(req))) crossed one the trace does not show", messages: [c.ref(req)]))
        }
        evidence.append(Evidence("refused with 491 Request Pending: \(pending.map { "#\(c.ref($0))" }.joined(separator: ", "))", messages: pending.map(c.ref)))
        var retried = "\(c.sender(retry)) retried (#\(c.ref(retry)))"
        if let t0 = c.messages[first].timestamp, let t1 = c.messages[retry].timestamp {
            retried += " \(Figure.text(t1 - t0)) s after the 491"
        }
        evidence.append(Evidence(retried + " and it succeeded", messages: [c.ref(retry)]))
        return Finding(family: family, role: .observation,
                       headline: "Glare resolved in time: crossing re-\(method)s got 491 Request Pending and \(c.sender(retry))'s retry (#\(c.ref(retry))) succeeded",
                       outcome: .healthy, responsibleSide: nil, evidence: evidence,
                       fixSteps: ["Nothing to fix: RFC 3261 resolves glare by a retry after a random back-off. If hold or resume comes seconds late, look at what makes both ends modify the session at once (both users pressing hold, a PBX feature)."],
                       confidence: Confidence(crossing == nil ? .medium : .high, crossing == nil ? "491 and the retry seen; the crossing request is not in the trace" : "both crossing requests, the 491s and the successful retry are in the trace"))
    }

    /// The first copy of a request as its sender originated it: through a
    /// proxy the same transaction (Call-ID, CSeq) appears once per hop.
    func origin(of p: Int, _ c: CallContext) -> Int {
        let m = c.message(p)
        return c.distinct.first { q in
            let o = c.message(q)
            return o.method == m.method && o.callID == m.callID && o.cseq?.number == m.cseq?.number
        } ?? p
    }
}
