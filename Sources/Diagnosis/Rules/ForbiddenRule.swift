import SIPCore

/// 403 Forbidden that is not an authentication failure: class of service,
/// carrier refusing the caller ID, a dial plan that breaks the number.
struct ForbiddenRule: DiagnosisRule {
    let family = "forbidden"

    func evaluate(_ c: CallContext) -> Finding? {
        guard c.failureCode == 403, let f = c.firstFailure, let req = c.failedRequest else { return nil }
        let request = c.message(req)
        var evidence = [c.failureEvidence()!] + c.reasonEvidence(f.position)
        let credentialed = request.hasHeader("authorization") || request.hasHeader("proxy-authorization")
        let policy = PolicyRefusal(c, response: f.position, request: req)
        if let earlier = f.excused.first(where: { [401, 407].contains(c.message($0.position).statusCode ?? 0) }) {
            evidence.append(Evidence("an auth challenge came first and was answered (\(earlier.reason)): the user authenticated, the destination is what was refused", messages: [c.ref(earlier.position)]))
        } else if credentialed {
            evidence.append(Evidence("the \(request.method ?? "request") carried credentials, yet the 403 points at policy, not the password", messages: [c.ref(req)]))
        } else {
            evidence.append(Evidence("no auth challenge before the 403: refused by policy, not by password"))
        }
        let numberProblem = NumberCheck.problem(with: request.requestURI)
        if let p = numberProblem {
            evidence.append(Evidence("Request-URI \(request.requestURI ?? ""): \(p)", messages: [c.ref(req)]))
        } else if let uri = request.requestURI {
            evidence.append(Evidence("Request-URI \(uri)", messages: [c.ref(req)]))
        }
        evidence += policy.signs
        if let pai = request["p-asserted-identity"] ?? request["from"] {
            evidence.append(Evidence("calling identity \(pai)", messages: [c.ref(req)]))
        }
        if let p = c.requests("INVITE").compactMap({ c.message($0).identity }).first, let a = p.attest {
            evidence.append(Evidence("STIR/SHAKEN attestation \(a) on the outbound INVITE"))
        }
        // Who refused: our own core (class of service) or the carrier
        // beyond it (caller ID, attestation)?
        let fromFarLeg = c.call.legs.count > 1 && c.message(f.position).callID != c.call.primaryCallID
        let destination = policy.destination.map { " (\($0.description))" } ?? " (international, premium, toll-free)"
        var fix = [
            "Check the user's dial permissions / class of service for this destination\(destination).",
            "Check the dial-plan translation gives a valid E.164 number (+1 and 10 digits in NANP).",
            "Escalate to the carrier with the pcap: ask whether the calling number is on the trunk's approved DID list and what STIR/SHAKEN attestation they require.",
        ]
        // Permissions take 30 seconds to check, so they go first, unless
        // the number itself is visibly broken.
        if numberProblem != nil { fix.swapAt(0, 1) }
        // Credentials were sent, so a wrong password stays possible; it
        // comes last because the signs above point at policy, and a reset
        // re-provisions a phone for nothing when the destination is barred.
        if credentialed {
            fix.append("Only if none of these explains it, check the user's SIP password and auth username: a 403 to credentials can also mean they were wrong.")
        }
        if fromFarLeg {
            evidence.append(Evidence("refused on the far leg (\(c.message(f.position).callID ?? "")), beyond our core: the carrier or next hop refused it", messages: [c.ref(f.position)]))
        }
        let q = c.message(f.position).q850Cause
        return Finding(
            family: family, role: .explainsFirstFailure,
            headline: "Call refused: 403 Forbidden from \(c.sender(f.position))\(q.map { " (\($0.name))" } ?? "")\(numberProblem != nil ? ", dialled number looks malformed" : "")",
            outcome: .failed, responsibleSide: c.responsibleSide(forResponseAt: f.position),
            evidence: evidence, fixSteps: fix,
            confidence: numberProblem != nil ? Confidence(.high, "403 and a malformed number")
                : policy.signs.count >= 2 ? Confidence(.high, "\(policy.signs.count) signs point at policy rather than the password or the carrier")
                : Confidence(.medium, "a 403 has several causes; the trace narrows but cannot pick between policy and carrier rules"))
    }
}
