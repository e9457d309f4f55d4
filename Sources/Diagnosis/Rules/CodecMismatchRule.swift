import SIPCore

/// 488 / 606 Not Acceptable (and 415): the offer could not be accepted:
/// no common codec, or SRTP against plain RTP.
struct CodecMismatchRule: DiagnosisRule {
    let family = "codec-mismatch"

    func evaluate(_ c: CallContext) -> Finding? {
        guard let code = c.failureCode, [488, 606, 415].contains(code), let f = c.firstFailure, let req = c.failedRequest else { return nil }
        var evidence = [c.failureEvidence()!]
        let offerSDP = c.sdp(req)
        let offerAudio = offerSDP?.audio
        // A re-INVITE refused inside an answered call changes nothing (RFC
        // 3261 14.1): the call goes on with the session it had. A fax
        // gateway's switch to T.38 refused this way is the common case.
        let midCall = c.message(req).to?.tag != nil && c.wasAnswered
        let faxOffer = offerSDP?.media.first { $0.type == "image" && $0.formats.contains { $0.lowercased() == "t38" } }
        if let a = offerAudio {
            evidence.append(Evidence("offer from \(c.sender(req)): m=audio \(a.port) \(a.proto) \(a.formats.joined(separator: " ")) (\(a.voiceCodecs.joined(separator: ", ")))", messages: [c.ref(req)]))
        } else if let m = offerSDP?.media.first {
            evidence.append(Evidence("offer from \(c.sender(req)): m=\(m.type) \(m.port) \(m.proto) \(m.formats.joined(separator: " "))\(faxOffer != nil ? " (T.38 fax), no audio" : ", no audio")", messages: [c.ref(req)]))
        } else if offerSDP == nil {
            evidence.append(Evidence("the rejected \(c.message(req).method ?? "request") carried no SDP offer", messages: [c.ref(req)]))
        }
        evidence += c.reasonEvidence(f.position)

        // What the refusing side would take: SDP it sent anywhere in the
        // call (the 488 may carry it, or another leg shows it).
        let refuser = c.participants.ends[f.position].from
        let theirs = c.distinct.filter { $0 != req && c.participants.ends[$0].from == refuser }.compactMap { i in c.sdp(i)?.audio.map { (i, $0) } }.first
            ?? (c.sdp(f.position)?.audio).map { (f.position, $0) }
        var common: [String] = []
        var profileMismatch = false
        if let (i, t) = theirs {
            evidence.append(Evidence("\(c.sender(i)) offers/accepts \(t.voiceCodecs.joined(separator: ", ")) (\(t.proto))", messages: [c.ref(i)]))
            if let a = offerAudio {
                common = a.voiceCodecs.filter { t.voiceCodecs.contains($0) }
                profileMismatch = a.isSecure != t.isSecure
            }
        }
        if let a = offerAudio, a.isSecure, theirs == nil {
            evidence.append(Evidence("the offer asks for SRTP (\(a.proto)); a far side without SRTP refuses it", messages: [c.ref(req)]))
        }
        let warningCodes = c.message(f.position).values("warning").compactMap { Int($0.prefix(3)) }
        // An SRTP offer refused by a side that shares its codecs, or that
        // showed no media of its own, is refused for its profile: the codec
        // advice ("add G.711") is wrong when G.711 was offered.
        let isProfile = profileMismatch || (offerAudio?.isSecure == true && (theirs == nil || !common.isEmpty))
        let offered = offerAudio?.voiceCodecs.joined(separator: "/")
            ?? offerSDP?.media.map { "\($0.type)/\($0.proto) \($0.formats.joined(separator: " "))" }.joined(separator: ", ")
            ?? "no SDP"
        let requester = c.receiver(f.position), refusedBy = c.sender(f.position)
        if midCall {
            let fallback = c.requests("INVITE").first { i in
                i > f.position && c.message(i).to?.tag != nil && c.flow.transaction(of: i).map(c.flow.succeeded) == true
            }
            if let fallback, let answer = c.flow.transaction(of: fallback)?.finalResponse {
                let codecs = c.sdp(answer)?.audio?.voiceCodecs.joined(separator: "/") ?? c.sdp(fallback)?.audio?.voiceCodecs.joined(separator: "/")
                evidence.append(Evidence("\(requester) fell back: its next re-INVITE\(codecs.map { " (audio \($0))" } ?? "") was answered", messages: [c.ref(fallback), c.ref(answer)]))
            } else {
                evidence.append(Evidence("a refused re-INVITE leaves the session as it was (RFC 3261 14.1): the call stayed up", messages: [c.ref(f.position)]))
            }
        }
        // Port 0 disables a stream (RFC 3264 6): an offer whose every stream
        // is disabled has nothing a far side could accept, whatever codecs
        // it lists. A softphone that cannot open its sound device or an RTP
        // port offers this.
        let disabled = (offerSDP?.media.isEmpty == false) && (offerSDP?.media.allSatisfy { $0.port == 0 } ?? false)
        if disabled, let sdp = offerSDP {
            let a = sdp.audio ?? sdp.media[0]
            let address = sdp.address(of: a).map { ", c=\($0)" } ?? ""
            evidence.append(Evidence("m=\(a.type) 0: the offer disabled its own \(a.type) stream (port 0\(address)), so no codec in it could be accepted", messages: [c.ref(req)]))
        }
        let hasG711 = offerAudio?.voiceCodecs.contains { $0 == "PCMU" || $0 == "PCMA" } ?? false
        var headline: String
        var fix: [String]
        if disabled {
            headline = "Call rejected (\(code)): \(requester) offered no usable audio (every stream at port 0)"
            fix = ["\(requester) offered no usable audio: check its audio device and RTP port range (a softphone that cannot open either offers port 0), and that its audio codecs are enabled.",
                   "Place the call again and check that the INVITE's m=audio line carries a real port."]
        } else if faxOffer != nil {
            headline = midCall
                ? "T.38 fax refused mid-call (\(code)): \(refusedBy) would not switch the call to T.38; the call stayed on audio"
                : "Call rejected (\(code)): \(refusedBy) does not take T.38 fax, and the offer had no audio"
            fix = ["Enable T.38 on \(refusedBy) (or on the trunk or SBC in front of it).",
                   "Or send fax as G.711 pass-through: turn off the T.38 re-INVITE on \(requester) for this route (G.711 only, VAD and echo cancellation off).",
                   "Over G.711 a fax survives only without loss or jitter: if faxes still fail, check the call's RTP for loss."]
        } else if isProfile {
            headline = "Call rejected (\(code)): SRTP/RTP profile mismatch (offer \(offerAudio?.proto ?? "?"))"
            fix = ["Align media encryption: enable SRTP on both sides or set the phone to allow plain RTP for this route.",
                   "Or let the SBC terminate SRTP towards this peer."]
        } else {
            headline = "\(midCall ? "Mid-call re-INVITE refused" : "Call rejected") (\(code)): codec mismatch, offer was \(offered)\(theirs.map { ", far side takes \($0.1.voiceCodecs.joined(separator: "/"))" } ?? "")\(midCall ? "; the call kept its earlier session" : "")"
            fix = [hasG711 ? "The offer already carries G.711 (\(offered)): look up which codecs \(refusedBy) allows for this endpoint or route and allow one the offer carries."
                           : "Add G.711 (PCMU/PCMA) to the phone's codec list alongside \(offered).",
                   "Or enable transcoding on the SBC for this route.",
                   "Compare the m=audio lines of offer and answer on every leg to see where the codec list was narrowed."]
        }
        let sure = theirs != nil || warningCodes.contains(where: { $0 == 304 || $0 == 305 })
        if isProfile, midCall { headline = headline.replacingOccurrences(of: "Call rejected", with: "Mid-call re-INVITE refused") }
        return Finding(family: family, role: .explainsFirstFailure, headline: headline, outcome: midCall ? .degraded : .failed,
                       responsibleSide: faxOffer != nil ? "\(refusedBy): does not accept T.38 (asked by \(requester))"
                                                        : "requester: \(requester)'s media offer (refused by \(refusedBy))",
                       evidence: evidence, fixSteps: fix,
                       confidence: sure ? Confidence(.high, "offer and the refusing side's media capabilities (or a 304/305 Warning) are both in the trace")
                                        : Confidence(.medium, "the refusing side's own codec list is not in the trace"))
    }
}
