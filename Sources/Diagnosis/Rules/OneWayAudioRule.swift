import SIPCore
import TraceFormats

/// One-way or no audio, proven from the RTP of a capture (domain brief
/// sections 3 and 5) rather than suspected from the SDP: after the call
/// was answered, RTP sent to a private address from a public one (it goes
/// nowhere); or RTP one way only between two participants that agreed to
/// send both ways; or no RTP for the call at all while the capture holds
/// RTP. Time on hold (`a=sendonly`, `a=inactive`, `c=0.0.0.0` in a
/// re-INVITE or UPDATE that took effect) is not time audio was expected,
/// so a held call is not one-way audio; and RTP both ways while the call
/// was answered is two-way audio, whatever a later re-INVITE did.
struct OneWayAudioRule: DiagnosisRule {
    let family = "one-way-audio"
    /// Less expected audio than this proves nothing: a call answered and
    /// hung up at once, or held straight away.
    static let minimumSeconds = 2.0
    /// The working direction must carry at least half a second of 20 ms packets.
    static let minimumPackets = 25

    func evaluate(_ c: CallContext) -> Finding? {
        guard let media = c.media, media.captureStreamCount > 0, c.wasAnswered else { return nil }
        return unreachable(c, media) ?? oneDirection(c, media) ?? noMedia(c, media)
    }

    static let fixSteps = [
        "Enable media anchoring / NAT traversal on the SBC for this device, with symmetric RTP (latching): send RTP to the address it comes from, not to the private address in the SDP.",
        "Disable SIP ALG on the customer's router (it rewrites SDP inconsistently).",
        "Check the firewall in front of the silent side allows UDP for the RTP port range in both directions.",
        "Set the phone's NAT keep-alive to about 25 s (Polycom/Yealink) so the pinhole stays open.",
    ]

    // MARK: - RTP sent where it cannot arrive

    func unreachable(_ c: CallContext, _ media: CallMedia) -> Finding? {
        guard let s = media.streams.first(where: { $0.sentToUnroutableFromPublic && $0.rtp.packets >= Self.minimumPackets }) else { return nil }
        let r = s.rtp
        let reverse = media.streams.filter { $0.sender == s.receiver && $0.receiver == s.sender && s.receiver != nil }
        // A capture on the receiver's own LAN sees the NAT's inbound
        // packets addressed to the private address: that is audio arriving.
        if reverse.contains(where: { $0.rtp.source.host == r.destination.host }) { return nil }
        let cls = AddressClass(r.destination.host)
        var refs: [Int] = []
        if let a = s.destinationAdvert { refs.append(media.adverts[a].messageIndex) }
        var evidence = [Evidence("\(s.senderName) -> \(s.receiverName): \(r.packets) RTP packets sent to \(r.destination) (\(cls.rawValue), from the SDP) from public \(r.source), \(Self.span(r)): a private address cannot be reached across the internet", messages: refs)]
        let natted = reverse.filter(\.arrivedThroughNAT)
        if let back = natted.first ?? reverse.first {
            var text = "\(back.senderName) -> \(back.receiverName): \(back.rtp.packets) RTP packets arrive from \(back.rtp.source)"
            if let adv = back.advertisedSource { text += ", not from the advertised \(adv): \(back.senderName) is behind NAT" }
            evidence.append(Evidence(text))
        } else {
            evidence.append(Evidence("\(s.receiverName) -> \(s.senderName): no RTP in the capture either"))
        }
        return Finding(
            family: family, role: c.firstFailure == nil ? .callProblem : .observation,
            headline: "One-way audio proven: \(s.senderName) sends its RTP to \(s.receiverName)'s private address \(r.destination), which cannot be reached from \(r.source); \(s.receiverName) hears nothing",
            outcome: .degraded,
            responsibleSide: "NAT traversal for \(s.receiverName): the \(s.senderName) side sends to the SDP's private address instead of where \(s.receiverName)'s RTP comes from",
            evidence: evidence, fixSteps: Self.fixSteps,
            confidence: natted.isEmpty
                ? Confidence(.medium, "RTP to a private address from a public one in the capture; no RTP came back to show the NAT")
                : Confidence(.high, "RTP measured: sent to a private address, while the other side's RTP arrives through NAT"))
    }

    // MARK: - One direction only

    func oneDirection(_ c: CallContext, _ media: CallMedia) -> Finding? {
        for silent in media.paths where silent.packets == 0 {
            guard let working = media.path(from: silent.receiver, to: silent.sender), working.packets >= Self.minimumPackets else { continue }
            let expected = silent.expectedSeconds
            // Without times, half a second of audio the other way is not
            // enough to call the silence a fault: ask for two seconds of it.
            if let e = expected {
                guard e >= Self.minimumSeconds else { continue }
            } else if working.packets < 100 {
                continue
            }
            let streams = working.streams.map { media.streams[$0] }
            // RTP that came back between the same two addresses is the
            // other direction, whichever participants the SDP named for it.
            if media.streams.contains(where: { back in
                back.rtp.packets >= Self.minimumPackets
                    && streams.contains { $0.rtp.source == back.rtp.destination && $0.rtp.destination == back.rtp.source }
            }) { continue }
            var evidence: [Evidence] = []
            for w in streams {
                evidence.append(Evidence("\(w.senderName) -> \(w.receiverName): \(w.rtp.packets) RTP packets from \(w.rtp.source) to \(w.rtp.destination), \(Self.span(w.rtp))"))
            }
            var refs: [Int] = []
            var target = "the address in its SDP"
            if let a = silent.receiverAdvert {
                let adv = media.adverts[a]
                refs.append(adv.messageIndex)
                target = adv.endpoint.description
            }
            var silentText = "\(silent.senderName) -> \(silent.receiverName): no RTP to \(target)"
            if let e = expected { silentText += " in \(Figure.text(e)) s of answered call" }
            evidence.append(Evidence(silentText, messages: refs))
            for q in silent.quiet {
                evidence.append(Evidence("not counted: \(LadderTime.clock(q.start))-\(LadderTime.clock(q.end)), when \(q.reason) (on hold)", messages: [q.messageIndex]))
            }
            if let a = silent.receiverAdvert, AddressClass(media.adverts[a].address).isUnroutable {
                let adv = media.adverts[a]
                evidence.append(Evidence("\(silent.receiverName) advertised \(adv.address) (\(AddressClass(adv.address).rawValue)): reachable only from inside its own network", messages: [adv.messageIndex]))
            }
            let cn = silent.senderAdvert.map { media.adverts[$0].offersComfortNoise } ?? false
            if cn {
                evidence.append(Evidence("\(silent.senderName)'s SDP allows comfort noise, but even silence suppression sends comfort-noise packets (RFC 3389), and none came"))
            }
            return Finding(
                family: family, role: c.firstFailure == nil ? .callProblem : .observation,
                headline: "One-way audio proven: \(working.senderName) -> \(working.receiverName) carried \(working.packets) RTP packets, \(silent.senderName) -> \(silent.receiverName) none; \(silent.receiverName) hears nothing from \(silent.senderName)",
                outcome: .degraded,
                responsibleSide: "\(silent.senderName)'s network: its RTP never reached the capture point (NAT or firewall blocking UDP, or sent to an address it cannot reach)",
                evidence: evidence, fixSteps: Self.fixSteps,
                confidence: expected != nil && !cn
                    ? Confidence(.high, "RTP measured both ways after the answer; hold periods excluded")
                    : Confidence(.medium, expected == nil ? "RTP measured, but the trace has no times to bound the silence" : "RTP measured; the silent side allows comfort noise"))
        }
        return nil
    }

    // MARK: - No RTP at all

    func noMedia(_ c: CallContext, _ media: CallMedia) -> Finding? {
        guard media.streams.isEmpty else { return nil }
        let expected = media.paths.compactMap(\.expectedSeconds).max()
        guard let e = expected, e >= Self.minimumSeconds else { return nil }
        let addresses = unique(media.adverts.filter { $0.isEffective && $0.port != 0 }.map { "\($0.endpoint) (#\($0.messageIndex))" })
        return Finding(
            family: family, role: c.firstFailure == nil ? .callProblem : .observation,
            headline: "No audio either way: the call was answered and lasted \(Figure.text(e)) s, but the capture holds no RTP to or from its SDP addresses",
            outcome: .degraded,
            responsibleSide: "the media path: RTP blocked both ways (firewall, NAT), or the capture point is not on the media path",
            evidence: [
                Evidence("SDP media addresses of the call: \(addresses.joined(separator: ", "))", messages: media.adverts.map(\.messageIndex)),
                Evidence("the capture holds \(media.captureStreamCount) other RTP stream\(media.captureStreamCount == 1 ? "" : "s"), none to or from these addresses"),
            ],
            fixSteps: ["Check that the capture was taken where this call's RTP passes (media may flow directly between the phones, bypassing the SBC)."] + Self.fixSteps,
            confidence: Confidence(.medium, "no RTP for the call in a capture that holds RTP; the capture point may not see this call's media"))
    }

    func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// `16:05:14.002-16:06:02.288 (48.3 s)`.
    static func span(_ r: RTPStream) -> String {
        "\(LadderTime.clock(r.firstTime))-\(LadderTime.clock(r.lastTime)) (\(Figure.text(r.durationSeconds)) s)"
    }
}
