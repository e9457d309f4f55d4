import SIPCore

/// Session timers (RFC 4028): a 422 that was never retried, a refresh
/// (re-INVITE or UPDATE) that went unanswered or failed, or a BYE at the
/// Session-Expires boundary.
struct SessionTimerRule: DiagnosisRule {
    let family = "session-timer"

    func evaluate(_ c: CallContext) -> Finding? {
        let interval = c.distinct.compactMap { i in c.message(i)["session-expires"].flatMap(DeltaSeconds.parse).map { (i, $0) } }.last
        // In-dialog refreshes: re-INVITE or UPDATE carrying a To tag.
        let refreshes = c.flow.transactions.filter { t in
            (t.method == "INVITE" || t.method == "UPDATE") && c.message(t.request).to?.tag != nil
        }
        let failedRefresh = refreshes.first { t in
            guard let f = t.finalResponse else { return true }
            return (c.message(f).statusCode ?? 0) >= 300
        }
        var evidence: [Evidence] = []
        if let (i, se) = interval {
            let refresher = c.message(i)["session-expires"].flatMap { Parameters(Substring($0.drop { $0 != ";" }.dropFirst()))["refresher"] }
            evidence.append(Evidence("Session-Expires \(se) s\(refresher.map { ", refresher=\($0)" } ?? "")", messages: [c.ref(i)]))
        }

        if c.failureCode == 422, let f = c.firstFailure {
            evidence.insert(c.failureEvidence()!, at: 0)
            if let minSE = c.message(f.position)["min-se"] { evidence.append(Evidence("Min-SE: \(minSE)", messages: [c.ref(f.position)])) }
            return finding(c, "Call rejected: 422 Session Interval Too Small, and the INVITE was not retried with a larger Session-Expires",
                           role: .explainsFirstFailure, evidence, side: c.responsibleSide(forResponseAt: f.position), sure: true)
        }
        // Only a refresh in a call that uses session timers is a session
        // timer problem; an unanswered hold re-INVITE is something else.
        if let t = failedRefresh, interval != nil {
            let req = t.request
            let outcome = t.finalResponse.map { "answered \(c.message($0).summary)" } ?? "never answered"
            evidence.insert(Evidence("session refresh \(c.message(req).method!) from \(c.sender(req)) \(outcome)", messages: [c.ref(req)] + (t.finalResponse.map { [c.ref($0)] } ?? [])), at: 0)
            if let bye = c.requests("BYE").first(where: { $0 > req }) {
                evidence.append(Evidence("BYE from \(c.sender(bye)) followed", messages: [c.ref(bye)]))
            }
            let explainsFailure = c.firstFailure.map { $0.position == req || $0.position == t.finalResponse } ?? false
            let role: Finding.Role = explainsFailure ? .explainsFirstFailure : (c.firstFailure == nil ? .callProblem : .observation)
            return finding(c, "Call dropped at a session-timer refresh: the \(c.message(req).method!) refresh was \(outcome)", role: role, evidence,
                           side: "refresh path between \(c.sender(req)) and \(c.receiver(req))", sure: true)
        }
        // A BYE right at the Session-Expires boundary after the answer.
        if let (_, se) = interval, c.firstFailure == nil, let answer = c.distinct.first(where: { c.message($0).cseq?.method == "INVITE" && (200..<300).contains(c.message($0).statusCode ?? 0) }),
           let bye = c.requests("BYE").first(where: { $0 > answer }), let t0 = c.messages[answer].timestamp, let t1 = c.messages[bye].timestamp {
            let elapsed = t1 - t0
            if abs(elapsed - Double(se)) <= max(2, Double(se) * 0.05), refreshes.isEmpty {
                evidence.append(Evidence("BYE from \(c.sender(bye)) \(Figure.text(elapsed.rounded())) s after the answer, with no refresh in between", messages: [c.ref(bye)]))
                return finding(c, "Call dropped at the session-timer boundary (\(se) s): no refresh was sent", role: .callProblem, evidence,
                               side: "the refresher side did not refresh the session", sure: false)
            }
        }
        return nil
    }

    func finding(_ c: CallContext, _ headline: String, role: Finding.Role, _ evidence: [Evidence], side: String, sure: Bool) -> Finding {
        Finding(family: family, role: role, headline: headline, outcome: .failed, responsibleSide: side, evidence: evidence,
                fixSteps: [
                    "Align session-timer settings (Session-Expires, Min-SE, refresher) on both sides of this hop.",
                    "Check that the refresh re-INVITE/UPDATE reaches the other side (Contact/Record-Route reachable, no ALG).",
                    "If a peer cannot do session timers, disable them for that trunk rather than letting calls drop.",
                ],
                confidence: sure ? Confidence(.high, "the refresh failure is in the trace") : Confidence(.medium, "timing only: the BYE matches the session interval"))
    }
}
