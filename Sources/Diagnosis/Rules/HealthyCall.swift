/// The verdict when no rule finds a problem: what the signalling shows
/// and, honestly, what it cannot.
enum HealthyCall {
    static func finding(_ c: CallContext) -> Finding {
        // A response names its request's method even when the trace lost the request.
        let methods = c.distinct.compactMap { c.message($0).method ?? c.message($0).cseq?.method }
        if !methods.contains("INVITE") {
            let what = methods.first ?? "request"
            return Finding(family: "healthy", role: .observation,
                           headline: "No failure: every \(what) got a successful final response",
                           outcome: .healthy, responsibleSide: nil,
                           evidence: c.distinct.filter { (c.message($0).statusCode ?? 0) >= 200 }.prefix(3).map {
                               Evidence("\(c.message($0).summary) from \(c.sender($0))", messages: [c.ref($0)])
                           },
                           fixSteps: ["Nothing to fix in the signalling. If users still report a problem, get a trace of a failing attempt."],
                           confidence: Confidence(.medium, "signalling only"))
        }
        var evidence: [Evidence] = []
        let invite = c.requests("INVITE").first
        if let invite {
            evidence.append(Evidence("INVITE from \(c.describeSender(invite)) to \(c.describeReceiver(invite))", messages: [c.ref(invite)]))
        }
        let answers = c.distinct.filter { pos in c.flow.isSuccess(pos) && c.message(pos).cseq?.method == "INVITE" }
        if let a = answers.first { evidence.append(Evidence("answered: \(c.message(a).summary) from \(c.sender(a))", messages: answers.map(c.ref))) }
        let acks = c.requests("ACK")
        if !acks.isEmpty { evidence.append(Evidence("answer acknowledged (ACK)", messages: acks.map(c.ref))) }
        let byes = c.requests("BYE")
        if let b = byes.first { evidence.append(Evidence("ended normally: BYE from \(c.sender(b))", messages: byes.map(c.ref))) }
        if c.call.legs.count > 1 {
            evidence.append(Evidence("\(c.call.legs.count) legs, all answered: \(c.call.callIDs.joined(separator: ", "))"))
        }
        let (offer, answer) = c.offerAnswer
        if let o = offer, let a = answer, let so = c.sdp(o), let sa = c.sdp(a),
           let ao = so.audio, let aa = sa.audio {
            evidence.append(Evidence("media agreed: offer \(ao.voiceCodecs.joined(separator: "/")) at \(so.address(of: ao) ?? "?"):\(ao.port), answer \(aa.voiceCodecs.first ?? "?") at \(sa.address(of: aa) ?? "?"):\(aa.port)", messages: [c.ref(o), c.ref(a)]))
        }
        let complete = invite != nil && !answers.isEmpty && !acks.isEmpty
        // The caller hung up before the answer: CANCEL, then 487 (excused
        // by the first-failure rule). A person's choice, not a fault.
        if answers.isEmpty, let cancel = c.requests("CANCEL").first, let terminated = c.responses(487).first {
            evidence.append(Evidence("\(c.sender(cancel)) sent CANCEL before any answer; \(c.sender(terminated)) ended the INVITE with 487", messages: [c.ref(cancel), c.ref(terminated)]))
            return Finding(family: "healthy", role: .observation,
                           headline: "Not a fault: the caller hung up before the call was answered (CANCEL, 487 Request Terminated)",
                           outcome: .notAFault, responsibleSide: nil, evidence: evidence,
                           fixSteps: ["Nothing to fix: the caller cancelled. If the caller says the phone never rang, check the ringing time (180) against the caller's patience."],
                           confidence: Confidence(.high, "CANCEL and its 487 are both in the trace"))
        }
        let ended = !byes.isEmpty
        return Finding(
            family: "healthy", role: .observation,
            headline: complete
                ? (ended ? "Healthy call: answered, acknowledged and ended normally" : "Healthy call setup: answered and acknowledged")
                : "No failure in the signalling seen, but the call setup is incomplete in the trace",
            outcome: .healthy, responsibleSide: nil, evidence: evidence,
            fixSteps: [c.media.map { $0.streams.isEmpty } == false
                ? "Nothing to fix: the signalling is clean and the call's RTP was measured (see the media figures). If users still report a problem, capture a failing call."
                : "Nothing to fix in the signalling. If users report audio problems on this call, pull a capture with RTP and diagnose it."],
            confidence: complete ? Confidence(.high, "complete INVITE/200/ACK exchange with no failure response") : Confidence(.low, "the trace does not show the whole call setup")
        )
    }
}
