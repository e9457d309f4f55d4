import SIPCore
import TraceFormats

/// Ghost calls: a phone rings from an INVITE no user placed, a scanner's
/// or a forged one that never came through the SBC. The phone is named by
/// what it did (it rang), not by what a label or `--peer` calls it, and a
/// scanner on the LAN rings phones as well as one on the internet.
struct GhostCallRule: DiagnosisRule {
    let family = "ghost-call"

    func evaluate(_ c: CallContext) -> Finding? {
        for i in c.invitesFromStrangers where c.rang(i) {
            let signs = ScannerSigns(c, invite: i)
            let fromPublic = c.senderClass(i) == .public
            // Hints alone count only as a probe extension dialled from the
            // internet: a delayed offer (no SDP) is common from real SBCs,
            // and inside the LAN a call to 100 is a colleague's test call.
            guard let strongest = signs.strongest, strongest > .hint || (fromPublic && signs.probeExtension != nil) else { continue }
            let src = c.participants.sender(ofMessageAt: i).address.flatMap(Endpoint.host) ?? c.sender(i)
            let phone = c.receiver(i)
            var evidence = [Evidence("INVITE sent straight to \(c.describeReceiver(i)) from \(src), which is not the SBC or a known peer, and it rang", messages: [c.ref(i)])]
            evidence += signs.evidence
            if let fromUser = c.message(i).from?.uri?.user { evidence.append(Evidence("From user \(fromUser)", messages: [c.ref(i)])) }
            let sure = signs.confidence
            let what = sure.level == .low ? "Possible ghost call: an INVITE from an unknown address rang \(phone) directly"
                : fromPublic ? "Ghost call: a SIP scanner reached \(phone) directly (its SIP port is exposed to the internet)"
                : "Ghost call: a SIP scanner inside the LAN (\(src)) rang \(phone) directly"
            var fix = ["Restrict \(phone)'s SIP port (5060) to the SBC's address ranges on the firewall.",
                       "Move \(phone)'s local SIP port to a non-standard one.",
                       "Disable direct IP calls (accept only calls from the registered server) on \(phone)."]
            if !fromPublic {
                fix.insert("Find and isolate the host at \(src): a scanner inside the LAN is a compromised or rogue machine.", at: 0)
            }
            return Finding(family: family, role: c.firstFailure == nil ? .callProblem : .explainsFirstFailure,
                           headline: what, outcome: .degraded,
                           responsibleSide: fromPublic ? "customer network: \(phone)'s SIP port is reachable from the internet"
                                                       : "customer network: a host on the LAN sends SIP scans",
                           evidence: evidence, fixSteps: fix,
                           limitations: ["Scanner traffic never reaches the platform: only a capture at the phone or its LAN shows it."],
                           confidence: sure)
        }
        return nil
    }
}

extension Endpoint {
    /// The host part of an `ip:port` string.
    static func host(_ text: String) -> String? { Endpoint(text)?.host }
}
