import SIPCore

/// 480 Temporarily Unavailable: the called user is not registered or not
/// reachable right now.
struct UnavailableRule: DiagnosisRule {
    let family = "temporarily-unavailable"

    func evaluate(_ c: CallContext) -> Finding? {
        guard c.failureCode == 480, let f = c.firstFailure, let req = c.failedRequest else { return nil }
        let called = c.message(req).to?.uri?.user ?? SIPURI(c.message(req).requestURI ?? "")?.user ?? "the called user"
        return Finding(family: family, role: .explainsFirstFailure,
                       headline: "Called user \(called) unavailable (480 from \(c.sender(f.position))): most likely not registered",
                       outcome: .failed, responsibleSide: "callee: \(called)'s device is not registered or not reachable",
                       evidence: [c.failureEvidence()!] + c.reasonEvidence(f.position),
                       fixSteps: ["Check \(called)'s registration status on the platform.",
                                  "If it is not registered, check the device's network path to the SBC (power, LAN, firewall, NAT).",
                                  "If it is registered, check do-not-disturb and the user's call routing rules."],
                       confidence: Confidence(.medium, "480 is usually a missing registration; the trace does not show the registrar"))
    }
}
