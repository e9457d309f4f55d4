import SIPCore
import TraceFormats

/// One-way or no audio from what the signalling shows: an SDP that
/// advertises a private address to a side that will send RTP there, or
/// media directions that turn audio off. When the trace is a capture and
/// its RTP flowed both ways, the suspicion is answered: the finding
/// becomes a note that the NAT was handled. (When the RTP proves one-way
/// audio, `OneWayAudioRule` gives the verdict.)
struct NATRule: DiagnosisRule {
    let family = "nat-one-way-audio"

    func evaluate(_ c: CallContext) -> Finding? {
        var evidence: [Evidence] = []
        var strength = 0   // 0 none, 1 likely, 2 proven NAT
        var mediaOff = false
        var culprit: String?
        let sdpPositions = c.distinct.filter { (c.sdp($0) != nil) }
        for i in sdpPositions {
            guard let sdp = c.sdp(i), let audio = sdp.audio, let addr = sdp.address(of: audio) else { continue }
            let cls = AddressClass(addr)
            guard cls.isUnroutable else { continue }
            let sender = c.participants.sender(ofMessageAt: i), receiver = c.participants.receiver(ofMessageAt: i)
            let srcHost = sender.address.flatMap(Endpoint.host)
            let dstHost = receiver.address.flatMap(Endpoint.host)
            let via = c.message(i).topVia
            let natSeen = (srcHost.map { AddressClass($0) == .public } ?? false)
                || (via?.received.map { AddressClass($0) == .public && $0 != via?.host } ?? false)
            let receiverPublic = dstHost.map { AddressClass($0) == .public } ?? false
            // Same LAN: both ends private is not NAT evidence.
            if let d = dstHost, AddressClass(d).isUnroutable, !natSeen { continue }
            // Anchored: the receiver re-offers its own media address on
            // another leg or back to the sender, so nothing goes to `addr`.
            if anchored(c, receiverIndex: c.participants.ends[i].to, senderIndex: c.participants.ends[i].from, privateAddress: addr) { continue }
            let forwarded = sdpPositions.first { j in
                j > i && c.participants.ends[j].from == c.participants.ends[i].to
                    && c.sdp(j).flatMap { s in s.audio.flatMap { s.address(of: $0) } } == addr
            }
            guard natSeen || receiverPublic || forwarded != nil else { continue }
            // A proxy relaying one LAN phone's SDP to another phone of the
            // same LAN (a trace with labels but no addresses shows no more)
            // is an ordinary internal call: the address is reachable.
            if !natSeen, !receiverPublic, let f = forwarded, sameLAN(addr, answeredBy: c.participants.ends[f].to, in: c) { continue }
            var text = "SDP from \(sender.name) advertises \(addr) (\(cls.rawValue)) for audio"
            if natSeen {
                text += ", but the packet came from \(via?.received ?? srcHost ?? "a public address"): the sender is behind NAT"
            }
            evidence.append(Evidence(text, messages: [c.ref(i)]))
            if let f = forwarded {
                evidence.append(Evidence("\(c.sender(f)) passed \(addr) on unchanged to \(c.receiver(f)): nobody rewrote it", messages: [c.ref(f)]))
            }
            if let o = sdp.origin, o.address == addr { evidence.append(Evidence("o= carries the same private address", messages: [c.ref(i)])) }
            strength = max(strength, natSeen || forwarded != nil ? 2 : 1)
            culprit = culprit ?? sender.name
        }
        // Media turned off or one-way in the initial offer/answer, in a call
        // that was answered: a refused call had no audio to lose, and its
        // disabled offer is the refusal's cause (codec-mismatch says so).
        let (offer, answer) = c.offerAnswer
        var asked: [String] = []
        for i in [offer, answer].compactMap({ $0 }) where c.wasAnswered {
            guard let sdp = c.sdp(i), let audio = sdp.audio else { continue }
            let dir = sdp.direction(of: audio)
            if audio.port == 0 || dir != .sendrecv { asked.append("\(c.sender(i)) \(audio.port == 0 ? "port 0" : "a=\(dir.rawValue)")") }
            if audio.port == 0 {
                evidence.append(Evidence("\(c.sender(i)) sets the audio port to 0: audio refused", messages: [c.ref(i)]))
                strength = max(strength, 1); culprit = culprit ?? c.sender(i); mediaOff = true
            } else if dir != .sendrecv {
                evidence.append(Evidence("\(c.sender(i)) offers a=\(dir.rawValue) in the initial \(i == offer ? "offer" : "answer"), where both ways are expected", messages: [c.ref(i)]))
                strength = max(strength, 1); culprit = culprit ?? c.sender(i); mediaOff = true
            }
        }
        guard strength > 0, let culprit else { return nil }
        // Only the directions (or a port 0) say media is off: the SDP asked
        // for it, and no NAT or ALG is involved. RTP flowing one way as
        // agreed is then the negotiation working, not a network fault.
        if mediaOff, evidence.allSatisfy({ !$0.text.contains("advertises") }) {
            return Finding(
                family: family, role: c.wasAnswered ? .callProblem : .observation,
                headline: "One-way or no audio by negotiation (\(asked.joined(separator: ", ")) in the initial SDP), not a network fault",
                outcome: .degraded, responsibleSide: "\(culprit)'s configuration (the SDP it sends)",
                evidence: evidence,
                fixSteps: [
                    "Find why \(culprit) asked for one-way or no media: a paging, intercom or listen-only profile, or a hold state carried into a new call.",
                    "If the call should be two-way, set the media direction to sendrecv (and a real port) on \(culprit) or on the PBX profile that writes its SDP.",
                ],
                confidence: Confidence(.high, "the initial offer/answer itself asks for one-way or no media"))
        }
        if let media = c.media, let flowing = Self.flowingBothWays(media) {
            return Finding(
                family: family, role: .observation,
                headline: "\(culprit) advertises a private media address, but RTP flowed both ways in the capture: the NAT is handled (media latching or anchoring)",
                outcome: .healthy, responsibleSide: nil, evidence: evidence + flowing, fixSteps: [],
                confidence: Confidence(.high, "RTP measured both ways in the capture"))
        }
        // A phone on a LAN sending its private address to a public SBC is
        // the everyday hosted-PBX case: fine when the SBC does NAT
        // traversal, which the trace cannot show. Say so, but do not make
        // it the verdict of an otherwise healthy call.
        if strength == 1 && !mediaOff {
            return Finding(
                family: family, role: .observation,
                headline: "\(culprit) advertises a private media address to a public peer: audio works only if that peer does NAT traversal (media anchoring)",
                outcome: .degraded, responsibleSide: nil, evidence: evidence,
                fixSteps: ["If users report one-way audio on this call, enable media anchoring / NAT traversal on the SBC for this device and disable SIP ALG."],
                confidence: Confidence(.low, "the trace shows no NAT and no RTP: the private address may be handled by the peer"))
        }
        return Finding(
            family: family, role: c.wasAnswered ? .callProblem : .observation,
            headline: "One-way audio likely: \(culprit) advertises an address the far side cannot send RTP to\(strength == 2 ? " (behind NAT)" : "")",
            outcome: .degraded, responsibleSide: "\(culprit)'s network: NAT without media anchoring, or a SIP ALG",
            evidence: evidence,
            fixSteps: [
                "Enable media anchoring / NAT traversal on the SBC for this device, so the SDP is rewritten to its public source address.",
                "Disable SIP ALG on the customer's router (it mangles SDP).",
                "Set the phone's NAT keep-alive to about 25 s (Polycom/Yealink) so the pinhole stays open.",
            ],
            confidence: strength == 2 ? Confidence(.high, "private SDP address from a sender seen behind NAT, not rewritten") : Confidence(.medium, "private SDP address sent towards a public peer; the RTP is not in the trace"))
    }

    /// True when the participant at `receiver` advertises, somewhere in
    /// the call, an audio address in the same private /16 as `addr`: both
    /// phones sit on one LAN and reach each other directly.
    func sameLAN(_ addr: String, answeredBy receiver: Int, in c: CallContext) -> Bool {
        guard let ip = IPAddress(addr), ip.isIPv4, let lan = AddressRange("\(addr)/16") else { return false }
        return c.distinct.contains { k in
            guard c.participants.ends[k].from == receiver, let sdp = c.sdp(k), let audio = sdp.audio,
                  let theirs = sdp.address(of: audio), theirs != addr, let other = IPAddress(theirs) else { return false }
            return AddressClass(theirs).isUnroutable && lan.contains(other)
        }
    }

    /// True when the participant that received the private SDP offers a
    /// public media address of its own onward, to a third party: it is a
    /// B2BUA or SBC anchoring the media. (Its answer back to the sender
    /// proves nothing: a plain callee answers the same way.)
    func anchored(_ c: CallContext, receiverIndex: Int, senderIndex: Int, privateAddress: String) -> Bool {
        c.distinct.contains { j in
            c.participants.ends[j].from == receiverIndex && c.participants.ends[j].to != senderIndex
                && c.sdp(j).flatMap { s in s.audio.flatMap { s.address(of: $0) } }.map { $0 != privateAddress && !AddressClass($0).isUnroutable } == true
        }
    }

    /// Evidence that every direction that agreed to send carried RTP and
    /// none of it went to an unreachable address; nil otherwise.
    static func flowingBothWays(_ media: CallMedia) -> [Evidence]? {
        guard !media.paths.isEmpty, !media.streams.isEmpty else { return nil }
        for p in media.paths where p.packets == 0 { return nil }
        for s in media.streams where s.sentToUnroutableFromPublic { return nil }
        return media.paths.map { p in
            Evidence("\(p.senderName) -> \(p.receiverName): \(p.packets) RTP packets in the capture")
        }
    }
}
