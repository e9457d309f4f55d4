import SIPCore

/// 404 Not Found, 484 Address Incomplete, 604 Does Not Exist Anywhere,
/// 410 Gone: the dialled number is unknown or incomplete.
struct NumberRule: DiagnosisRule {
    let family = "number-unknown"

    func evaluate(_ c: CallContext) -> Finding? {
        guard let code = c.failureCode, [404, 410, 484, 604].contains(code), let f = c.firstFailure, let req = c.failedRequest else { return nil }
        let uri = c.message(req).requestURI ?? ""
        var evidence = [c.failureEvidence()!, Evidence("Request-URI \(uri)", messages: [c.ref(req)])] + c.reasonEvidence(f.position)
        let problem = NumberCheck.problem(with: uri)
        if let p = problem { evidence.append(Evidence(p, messages: [c.ref(req)])) }
        let number = SIPURI(uri)?.user ?? uri
        return Finding(family: family, role: .explainsFirstFailure,
                       headline: code == 484 ? "Number incomplete (484): \(number) needs more digits" : "Number not found (\(code)) at \(c.sender(f.position)): \(number)",
                       outcome: .failed, responsibleSide: "requester: the dialled number or the dial plan of \(c.receiver(f.position))",
                       evidence: evidence,
                       fixSteps: ["Check the dial plan's translation of what the user dialled (digits added, stripped, country code).",
                                  "Check the number is provisioned in the inventory (DID assigned, extension exists).",
                                  "If the number is external and correct, ask the carrier whether it is routable."],
                       confidence: Confidence(problem != nil ? .high : .medium, problem != nil ? "the number itself looks malformed" : "the number may exist elsewhere: the trace shows only that this hop does not know it"))
    }
}
