import SIPCore

/// Authentication that fails: the credentialed retry challenged again or
/// refused, or a challenge never answered.
struct AuthFailureRule: DiagnosisRule {
    let family = "auth-failure"

    func evaluate(_ c: CallContext) -> Finding? {
        guard let f = c.firstFailure, let code = f.statusCode, let req = c.failedRequest else { return nil }
        let request = c.message(req)
        let credentialed = request.hasHeader("authorization") || request.hasHeader("proxy-authorization")
        guard code == 401 || code == 407 || (code == 403 && credentialed) else { return nil }
        // A 403 to credentials is a wrong password only when nothing says
        // otherwise: a policy cause, a barred destination or the same user
        // accepted elsewhere hand it to the forbidden rule.
        if code == 403, PolicyRefusal(c, response: f.position, request: req).pointsAtPolicy { return nil }
        let method = request.method ?? "request"
        var evidence: [Evidence] = []
        let challenges = c.distinct.filter { [401, 407].contains(c.message($0).statusCode ?? 0) && c.message($0).callID == request.callID }
        if let first = challenges.first, first != f.position {
            evidence.append(Evidence("challenged with \(c.message(first).summary) by \(c.sender(first))", messages: [c.ref(first)]))
        }
        let header = request["authorization"] ?? request["proxy-authorization"]
        if credentialed, let header {
            let params = DigestParameters.digest(header)
            var text = "\(method) re-sent with credentials"
            if let u = params["username"] { text += " for user \(u)" }
            if let r = params["realm"] { text += ", realm \(r)" }
            evidence.append(Evidence(text, messages: [c.ref(req)]))
        }
        evidence.append(c.failureEvidence()!)
        let challenge = c.message(f.position)["www-authenticate"] ?? c.message(f.position)["proxy-authenticate"]
        if let challenge, let realm = DigestParameters.digest(challenge)["realm"] {
            evidence.append(Evidence("server asks for realm \(realm)", messages: [c.ref(f.position)]))
        }
        if challenges.count >= 3 {
            evidence.append(Evidence("\(challenges.count) challenges in a row: an authentication loop", messages: challenges.map(c.ref)))
        }
        evidence += c.reasonEvidence(f.position)

        let headline: String
        var fix: [String]
        if credentialed {
            headline = "Authentication failed: \(method) with credentials was refused (\(c.message(f.position).summary))"
            fix = [
                "Reset the SIP password for this user/device and re-provision the phone.",
                "Check the auth username and realm the phone uses against the server's (realm in the challenge).",
                "If credentials are right, check whether the source IP is allowed (IP allowlist / ACL on the server).",
            ]
        } else {
            headline = "\(method) challenged (\(code)) and never answered with credentials"
            fix = [
                "Configure credentials on the device or trunk that sent the \(method).",
                "If this side should be trusted by IP instead, add its address to the server's allowlist.",
            ]
            // A sender nobody named, on the internet, may not be ours at
            // all: credentials or an allowlist entry would let a probe in.
            let sender = c.participants.sender(ofMessageAt: req)
            if sender.namedBy == .address, c.senderClass(req) == .public, let address = sender.address {
                fix.insert("First make sure \(address) is one of your devices or trunks. If it is not, it is a probe: block it and restrict the signalling port to known peers, and give it neither credentials nor an allowlist entry.", at: 0)
            }
        }
        return Finding(family: family, role: .explainsFirstFailure, headline: headline, outcome: .failed,
                       responsibleSide: "requester: \(c.receiver(f.position)) (credentials or allowlist)",
                       evidence: evidence, fixSteps: fix,
                       confidence: credentialed ? Confidence(.high, "the credentialed retry was refused") : Confidence(.medium, "no credentialed retry in the trace"))
    }
}

/// Digest parameters (`Digest username="1001", realm="x"`).
enum DigestParameters {
    static func digest(_ header: String) -> [String: String] {
        var text = Substring(header)
        if let space = text.firstIndex(of: " ") { text = text[text.index(after: space)...] }
        var out: [String: String] = [:]
        for part in splitDigest(String(text)) {
            guard let eq = part.firstIndex(of: "=") else { continue }
            let name = part[..<eq].trimmingCharacters().lowercased()
            var value = part[part.index(after: eq)...].trimmingCharacters()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            out[name] = value
        }
        return out
    }

    static func splitDigest(_ s: String) -> [Substring] {
        var parts: [Substring] = []
        var start = s.startIndex, inQuotes = false
        for i in s.indices {
            if s[i] == "\"" { inQuotes.toggle() }
            if s[i] == ",", !inQuotes { parts.append(s[start..<i]); start = s.index(after: i) }
        }
        parts.append(s[start...])
        return parts
    }
}
