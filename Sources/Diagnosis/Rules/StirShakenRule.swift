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
        var concerns: [Concern] = []
        for (i, p) in signed {
            var text = "Identity on INVITE from \(c.sender(i)): "
            if let m = p.malformed {
                text += "malformed (\(m))"
                concerns.append(Concern(.malformed, "the Identity header is malformed"))
            } else {
                text += "attest \(p.attest ?? "?")"
                if let o = p.origTN { text += ", orig \(o)" }
                if !p.destTNs.isEmpty { text += ", dest \(p.destTNs.joined(separator: ","))" }
                if let iat = p.iat { text += ", iat \(iat)" }
                if let id = p.origID { text += ", origid \(id)" }
                if let a = p.attest, a != "A" { concerns.append(Concern(.lowAttestation, "attestation is \(a), not full (A)")) }
                if let iat = p.iat, let t = c.messages[i].timestamp, t > 1_000_000_000, abs(t - Double(iat)) > 60 {
                    // iat is the signer's word: any Int, so the gap is printed, not converted.
                    let off = (t - Double(iat)).rounded(.towardZero)
                    concerns.append(Concern(.stale, "iat is \(Figure.text(abs(off))) s away from the send time (stale PASSporT)"))
                    text += " (iat \(Figure.text(off)) s off the send time)"
                }
            }
            if let info = p.info { text += "; info \(info)" }
            evidence.append(Evidence(text, messages: [c.ref(i)]))
        }
        if let (i, v) = verstat {
            evidence.append(Evidence("verstat=\(v.rawValue) in \(c.message(i).method ?? c.message(i).summary) to \(c.receiver(i))", messages: [c.ref(i)]))
            if v == .failed { concerns.append(Concern(.verificationFailed, "the terminating side's verification failed (verstat)")) }
        }

        // An outbound INVITE to a phone number leaving through a hop that
        // signed nothing, when the far side rejected it.
        let namesIdentity = c.firstFailure.map { textMentionsIdentity(c.message($0.position)) } ?? false
        if signed.isEmpty, let f = c.firstFailure, let code = f.statusCode, Self.rejectionCodes.contains(code),
           let req = c.failedRequest, let number = SIPURI(c.message(req).requestURI ?? "")?.number, number.count >= 10 {
            // A bare 403 has commoner causes (class of service, DID list);
            // only blame the missing signature when the answer points at it.
            if code == 428 || code == 608 || namesIdentity {
                concerns.append(Concern(.unsigned, "the INVITE to \(number) carried no Identity header"))
                evidence.append(Evidence("INVITE to \(number) sent without an Identity header", messages: [c.ref(req)]))
            }
        }

        if let f = c.firstFailure, let code = f.statusCode, Self.rejectionCodes.contains(code), !concerns.isEmpty,
           // A failed verstat alone says the far side doubted the caller,
           // which a bare 403 does not need to explain.
           code != 403 || concerns.contains(where: { $0.kind != .verificationFailed }) {
            var ev = [c.failureEvidence()!] + evidence + c.reasonEvidence(f.position)
            if namesIdentity {
                ev.append(Evidence("the rejection names the identity/attestation", messages: [c.ref(f.position)]))
            }
            let signedLow = concerns.contains { $0.kind == .lowAttestation }
            return Finding(
                family: family, role: .explainsFirstFailure,
                headline: "Call rejected (\(c.message(f.position).summary)) on STIR/SHAKEN grounds: \(concerns[0].text)",
                outcome: .failed, responsibleSide: "originating side: the signer of the call (our core/SBC), judged by \(c.sender(f.position))",
                evidence: ev,
                fixSteps: [
                    signedLow ? "Get full (A) attestation for the calling number: the number must be assigned to the customer in the signer's inventory." : "Make sure outbound calls are signed: check the STIR/SHAKEN signing service for this trunk.",
                    "Check that the calling number (From/PAI) matches the orig tn that was signed.",
                    "Ask the terminating carrier for its attestation policy and open a ticket with the pcap.",
                ],
                confidence: Confidence(namesIdentity || code == 608 || code == 428 || (code >= 436 && code <= 438) ? .high : .medium,
                                       "rejection code carriers use for attestation, with \(concerns[0].text)"))
        }
        guard !signed.isEmpty || verstat != nil else { return nil }
        return Finding(family: family, role: .observation,
                       headline: !concerns.isEmpty ? "STIR/SHAKEN: \(concerns.map(\.text).joined(separator: "; "))"
                           : signed.isEmpty ? "STIR/SHAKEN: the terminating side reports \(verstat!.1.rawValue)"
                           : "STIR/SHAKEN: call signed with full attestation",
                       outcome: concerns.isEmpty ? .healthy : .degraded, responsibleSide: nil, evidence: evidence,
                       fixSteps: concerns.isEmpty ? [] : ["Get full (A) attestation for the calling number, or expect some carriers to label or block it."],
                       confidence: Confidence(.medium, "decoded, not verified: the trace does not carry the signing certificate"))
    }

    /// Something about the signature that a carrier may reject the call for.
    struct Concern {
        enum Kind { case malformed, lowAttestation, stale, verificationFailed, unsigned }
        var kind: Kind
        var text: String
        init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }
    }

    func textMentionsIdentity(_ m: SIPMessage) -> Bool {
        let text = ([m.reasonPhrase ?? ""] + m.values("reason") + m.values("warning")).joined(separator: " ").lowercased()
        return ["attest", "identity", "stir", "shaken", "verstat", "passport"].contains { text.contains($0) }
    }
}
