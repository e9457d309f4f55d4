import SIPCore
import TraceFormats

/// Ghost calls: scanners probing an exposed SIP port ring phones with
/// INVITEs that never came through the SBC.
struct GhostCallRule: DiagnosisRule {
    let family = "ghost-call"
    /// To users scanners try first.
    static let probeUsers: Set<String> = ["100", "101", "1000", "1001", "200", "0", "1", "123", "9999"]

    func evaluate(_ c: CallContext) -> Finding? {
        var evidence: [Evidence] = []
        var scanner = false
        for i in c.distinct where c.message(i).isRequest {
            if let ua = c.message(i).userAgent, UserAgentKind(ua) == .scanner {
                evidence.append(Evidence("User-Agent \"\(ua)\" is a known SIP scanner", messages: [c.ref(i)]))
                scanner = true
                break
            }
        }
        // An INVITE straight to a phone on a private address from a public
        // address nobody named (not the SBC, not a configured peer). Only
        // a dialog-creating INVITE: a re-INVITE (To tag set) comes from a
        // party the call already talks to, like the core putting it on hold.
        for i in c.requests("INVITE") where c.message(i).to?.tag == nil {
            let from = c.participants.sender(ofMessageAt: i), to = c.participants.receiver(ofMessageAt: i)
            guard from.namedBy == .address, let src = from.address.flatMap(Endpoint.host), AddressClass(src) == .public,
                  let dst = to.address.flatMap(Endpoint.host), AddressClass(dst).isUnroutable || to.name.hasPrefix("PHONE") else { continue }
            let toUser = c.message(i).to?.uri?.user ?? ""
            let odd = Self.probeUsers.contains(toUser)
            guard scanner || odd else { continue }
            evidence.append(Evidence("INVITE sent straight to \(to.name) (\(dst)) from \(src), which is not the SBC or a known peer", messages: [c.ref(i)]))
            if odd { evidence.append(Evidence("To user \(toUser): the extension scanners try", messages: [c.ref(i)])) }
            if let fromUser = c.message(i).from?.uri?.user { evidence.append(Evidence("From user \(fromUser)", messages: [c.ref(i)])) }
            scanner = scanner || odd
            break
        }
        guard scanner else { return nil }
        return Finding(family: family, role: c.firstFailure == nil ? .callProblem : .explainsFirstFailure,
                       headline: "Ghost call: a SIP scanner reached the phone directly (its SIP port is exposed to the internet)",
                       outcome: .degraded, responsibleSide: "customer network: the phone's SIP port is reachable from the internet",
                       evidence: evidence,
                       fixSteps: ["Restrict the phone's SIP port (5060) to the SBC's address ranges on the firewall.",
                                  "Move the phone's local SIP port to a non-standard one.",
                                  "Disable direct IP calls (accept only calls from the registered server) on the phone."],
                       limitations: ["Scanner traffic never reaches the platform: only a capture at the phone or its LAN shows it."],
                       confidence: Confidence(.high, "scanner signature in the INVITE"))
    }
}

extension Endpoint {
    /// The host part of an `ip:port` string.
    static func host(_ text: String) -> String? { Endpoint(text)?.host }
}
