import SIPCore
import TraceFormats

/// SIP scanners and toll-fraud attempts that did not ring anything: an
/// INVITE from an unknown address, challenged and never retried with
/// credentials, dialling abroad or carrying a scanner's signature or
/// forged headers. That is an attack on an exposed signalling port, not a
/// user with a wrong password: the fix is to close the port and ban the
/// sender, never to give it credentials.
struct ScannerRule: DiagnosisRule {
    let family = "sip-scanner"

    func evaluate(_ c: CallContext) -> Finding? {
        for i in c.invitesFromStrangers where !c.rang(i) {
            let signs = ScannerSigns(c, invite: i)
            let fromPublic = c.senderClass(i) == .public
            let challenged = Self.challengedNeverRetried(c, invite: i)
            let probe = signs.count(.signature) > 0
                || (fromPublic && challenged && (signs.count(.spoofing) > 0 || signs.count(.tollFraud) > 0))
                || (fromPublic && signs.count(.spoofing) >= 2)
            guard probe else { continue }
            let src = c.participants.sender(ofMessageAt: i).address.flatMap(Endpoint.host) ?? c.sender(i)
            let target = c.receiver(i)
            var evidence = [Evidence("INVITE from \(src), which is not the SBC or a known peer, to \(c.describeReceiver(i))", messages: [c.ref(i)])]
            if let f = c.flow.transaction(of: i)?.finalResponse {
                let answer = c.message(f)
                evidence.append(Evidence("\(target) answered \(answer.summary)\(challenged ? " and no retry with credentials followed" : "")", messages: [c.ref(f)]))
            }
            evidence += signs.evidence
            let attempt = signs.destination.map { " (an attempt to call \($0.withArticle) number)" } ?? ""
            let finding = c.firstFailure.map { f in c.flow.transaction(of: f.position)?.request == i || f.position == i } ?? false
            return Finding(
                family: family, role: finding ? .explainsFirstFailure : .callProblem,
                headline: "Security: a SIP scanner or toll-fraud bot at \(src) probed \(target)\(attempt); not a user's call",
                outcome: .degraded,
                responsibleSide: "network exposure: \(target)'s signalling port is reachable from \(fromPublic ? "the internet" : "the LAN")",
                evidence: evidence,
                fixSteps: [
                    "Restrict \(target)'s signalling port (5060/5061) to the SBC's and the carriers' addresses on the firewall: \(src) should never reach it.",
                    "Ban addresses that fail authentication automatically (fail2ban-style blocking on the PBX's auth failures), and block \(src) now.",
                    "Look for calls that did get through from such addresses to international or premium numbers (toll fraud that succeeded).",
                ],
                limitations: ["The sender is not a user: it has no credentials to fix, and it should get none."],
                confidence: signs.confidence)
        }
        return nil
    }

    /// The INVITE got 401/407 and its sender never came back with credentials.
    static func challengedNeverRetried(_ c: CallContext, invite i: Int) -> Bool {
        guard let f = c.flow.transaction(of: i)?.finalResponse, [401, 407].contains(c.message(f).statusCode ?? 0) else { return false }
        let sender = c.participants.ends[i].from
        return !c.requests("INVITE").contains { r in
            r > f && c.participants.ends[r].from == sender
                && (c.message(r).hasHeader("authorization") || c.message(r).hasHeader("proxy-authorization"))
        }
    }
}
