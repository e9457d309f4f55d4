import SIPCore

/// STIR/SHAKEN: decodes the `Identity` PASSporT of the call's INVITEs and
/// the terminating side's verstat. Explains a rejection when attestation
/// is low, missing or malformed and the far side refused the call with a
/// code carriers use for that; otherwise reports what it found.
struct StirShakenRule: DiagnosisRule {
    let family = "stir-shaken"
    /// 428 Use Identity Header, 436 Bad Identity Info, 437 Unsupported
    /// Credential, 438 Invalid Identity Header, 608 Rejected, and the 403
    /// and 603 that carriers also send.
    static let rejectionCodes: Set<Int> = [403, 428, 436, 437, 438, 603, 607, 608]

    func evaluate(_ c: CallContext) -> Finding? {
        let invites = c.requests("INVITE")
        let signed = invites.compactMap { i in c.message(i).identity.map { (i, $0) } }
        let verstat = c.distinct.compactMap { i in c.message(i).verstat.map { (i, $0) } }.first
        guard !signed.isEmpty || verstat != nil || c.failureCode.map(Self.rejectionCodes.contains) == true else { return nil }

        var evidence: [Evidence] = []
        var concerns: [String] = []
        for (i, p) in signed {
            var text = "Identity on INVITE from \(c.sender(i)): "
            if let m = p.malformed {
                text += "malformed (\(m))"
                concerns.append("the Identity header is malformed")
            } else {
                text += "attest \(p.attest ?? "?")"
                if let o = p.origTN { text += ", orig \(o)" }
                if !p.destTNs.isEmpty { text += ", dest \(p.destTNs.joined(separator: ","))" }
                if let iat = p.iat { text += ", iat \(iat)" }
                if let id = p.origID { text += ", origid \(id)" }
                if let a = p.attest, a != "A" { concerns.append("attestation is \(a), not full (A)") }
                if let iat = p.iat, let t = c.messages[i].timestamp, t > 1_000_000_000, abs(t - Double(iat)) > 60 {
                    concerns.append("iat is \(Int(abs(t - Double(iat)))) s away from the send time (stale PASSporT)")
                    text += " (iat \(Int(t - Double(iat))) s off the send time)"
                }
            }
            if let info = p.info { text += "; info \(info)" }
            evidence.append(Evidence(text, messages: [c.ref(i)]))
        }
        if let (i, v) = verstat {
            evidence.append(Evidence("verstat=\(v.rawValue) in \(c.message(i).method ?? c.message(i).summary) to \(c.receiver(i))", messages: [c.ref(i)]))
            if v == .failed { concerns.append("the terminating side's verification failed (verstat)") }
        }

        // An outbound INVITE to a phone number leaving through a hop that
        // signed nothing, when the far side rejected it.
        if signed.isEmpty, let f = c.firstFailure, let code = f.statusCode, Self.rejectionCodes.contains(code),
           let req = c.failedRequest, let number = SIPURI(c.message(req).requestURI ?? "")?.number, number.count >= 10 {
            // A bare 403 has commoner causes (class of service, DID list);
            // only blame the missing signature when the answer points at it.
            if code == 428 || code == 608 || textMentionsIdentity(c.message(f.position)) {
                concerns.append("the INVITE to \(number) carried no Identity header")
                evidence.append(Evidence("INVITE to \(number) sent without an Identity header", messages: [c.ref(req)]))
            }
        }

        if let f = c.firstFailure, let code = f.statusCode, Self.rejectionCodes.contains(code), !concerns.isEmpty,
           code != 403 || concerns.contains(where: { !$0.hasPrefix("the terminating") }) {
            var ev = [c.failureEvidence()!] + evidence + c.reasonEvidence(f.position)
            if textMentionsIdentity(c.message(f.position)) {
                ev.append(Evidence("the rejection names the identity/attestation", messages: [c.ref(f.position)]))
            }
            let signedLow = concerns.contains { $0.hasPrefix("attestation") }
            return Finding(
                family: family, role: .explainsFirstFailure,
                headline: "Call rejected (\(c.message(f.position).summary)) on STIR/SHAKEN grounds: \(concerns[0])",
                outcome: .failed, responsibleSide: "originating side: the signer of the call (our core/SBC), judged by \(c.sender(f.position))",
                evidence: ev,
                fixSteps: [
                    signedLow ? "Get full (A) attestation for the calling number: the number must be assigned to the customer in the signer's inventory." : "Make sure outbound calls are signed: check the STIR/SHAKEN signing service for this trunk.",
                    "Check that the calling number (From/PAI) matches the orig tn that was signed.",
                    "Ask the terminating carrier for its attestation policy and open a ticket with the pcap.",
                ],
                confidence: Confidence(textMentionsIdentity(c.message(f.position)) || code == 608 || code == 428 || (code >= 436 && code <= 438) ? .high : .medium,
                                       "rejection code carriers use for attestation, with \(concerns[0])"))
        }
        guard !signed.isEmpty || verstat != nil else { return nil }
        return Finding(family: family, role: .observation,
                       headline: concerns.isEmpty ? "STIR/SHAKEN: call signed with full attestation" : "STIR/SHAKEN: \(concerns.joined(separator: "; "))",
                       outcome: concerns.isEmpty ? .healthy : .degraded, responsibleSide: nil, evidence: evidence,
                       fixSteps: concerns.isEmpty ? [] : ["Get full (A) attestation for the calling number, or expect some carriers to label or block it."],
                       confidence: Confidence(.medium, "decoded, not verified: the trace does not carry the signing certificate"))
    }

    func textMentionsIdentity(_ m: SIPMessage) -> Bool {
        let text = ([m.reasonPhrase ?? ""] + m.values("reason") + m.values("warning")).joined(separator: " ").lowercased()
        return ["attest", "identity", "stir", "shaken", "verstat", "passport"].contains { text.contains($0) }
    }
}
