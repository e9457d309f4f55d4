import SIPCore
import TraceFormats

extension CallMedia {
    /// Ties a capture's streams to a call through its SDP (domain brief
    /// section 5): a stream belongs to the call when it was sent to an
    /// address:port an SDP of the call advertised (offer or answer, any leg,
    /// re-INVITE and UPDATE included), or came from one (symmetric RTP sent
    /// back to a NAT's public address instead of the advertised one). Its
    /// receiver is the participant that advertised the destination; its
    /// sender the one that SDP was sent to. When the packets came from an
    /// address other than the sender's own SDP advertised, that is kept:
    /// it is how NAT shows in a capture. Streams are only tied while the
    /// call lasts (from its first message to its BYE, with slack for RTP
    /// that starts early or runs on), so a port reused by a later call in
    /// the same capture is not mixed in.
    public init(flow: CallFlow, participants: Participants, index: MediaIndex) {
        let adverts = Self.adverts(flow: flow, participants: participants)
        let names = participants.list.map(\.name)
        let window = Self.window(of: flow)

        var candidates = Set<Int>()
        for a in adverts where a.port != 0 {
            candidates.formUnion(index.streams(at: a.endpoint))
        }
        var streams: [Stream] = []
        for i in candidates.sorted() {
            let rtp = index.capture.streams[i]
            guard Self.overlaps(rtp, window) else { continue }
            streams.append(Self.stream(rtp, adverts: adverts, names: names, index: index))
        }
        streams.sort { a, b in (a.rtp.firstTime, a.rtp.ssrc) < (b.rtp.firstTime, b.rtp.ssrc) }

        let paths = Self.paths(adverts: adverts, streams: streams, names: names, end: window?.end)
        self.init(adverts: adverts, streams: streams, paths: paths, captureStreamCount: index.capture.streams.count)
    }

    // MARK: - Adverts

    static func adverts(flow: CallFlow, participants: Participants) -> [Advert] {
        var byHost: [String: Int] = [:]
        for (i, p) in participants.list.enumerated() {
            guard let host = p.address.flatMap(Endpoint.init)?.host else { continue }
            let key = NetAddress(host)?.description ?? host
            if byHost[key] == nil { byHost[key] = i }
        }
        // A host two participants share (two user agents on one machine, a
        // loopback test) names neither: each SDP is then its sender's own.
        let shared = Set(participants.list.compactMap { $0.address.flatMap(Endpoint.init)?.host }
            .map { NetAddress($0)?.description ?? $0 }.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            .filter { $0.value > 1 }.keys)
        var out: [Advert] = []
        for pos in flow.distinctPositions {
            guard let sdp = flow.sdpAt[pos] else { continue }
            let captured = flow.message(pos)
            let (effective, when) = effect(of: pos, flow: flow)
            for m in sdp.media where m.type.lowercased() == "audio" {
                guard let text = sdp.address(of: m) else { continue }
                let address = NetAddress(text)?.description ?? text
                let advertiser = participants.ends[pos].from
                var codecs: [Int: String] = [:]
                for f in m.formats { if let n = Int(f) { codecs[n] = m.codecName(for: f) } }
                out.append(Advert(
                    position: pos, messageIndex: captured.index,
                    advertiser: advertiser, peer: participants.ends[pos].to, owner: (shared.contains(address) ? nil : byHost[address]) ?? advertiser,
                    address: address, port: m.port, rtcpPort: m.rtcpPort ?? m.port + 1,
                    direction: sdp.direction(of: m), time: captured.timestamp,
                    isEffective: effective, effectiveTime: when,
                    codecs: codecs, offersComfortNoise: m.codecNames.contains { $0.uppercased() == "CN" }))
            }
        }
        return out
    }

    /// An SDP takes effect when its offer/answer completes (RFC 3264): an
    /// answer (2xx, or 18x for early media) or an ACK's answer at once; an
    /// offer in INVITE or UPDATE when a 2xx answers it, at that 2xx's time.
    static func effect(of pos: Int, flow: CallFlow) -> (Bool, Double?) {
        let m = flow.message(pos)
        if let code = m.message.statusCode {
            return ((100..<300).contains(code), m.timestamp)
        }
        if m.message.method == "ACK" { return (true, m.timestamp) }
        guard let t = flow.transaction(of: pos), let final = t.finalResponse, flow.isSuccess(final) else { return (false, nil) }
        return (true, flow.message(final).timestamp)
    }

    // MARK: - Streams

    /// From the call's first message to its first BYE (or last message);
    /// `ended` when a BYE closes it.
    static func window(of flow: CallFlow) -> (start: Double, end: Double, ended: Bool)? {
        let times = flow.call.messages.compactMap(\.timestamp)
        guard let first = times.min(), let last = times.max() else { return nil }
        let bye = flow.distinctPositions.first { flow.message($0).message.method == "BYE" }.flatMap { flow.message($0).timestamp }
        return (first, bye ?? last, bye != nil)
    }

    /// A stream is the call's only if it was still running when the call
    /// began and had started before its BYE: phones and SIPp reuse one RTP
    /// port call after call, and back-to-back calls (sipnab's
    /// sip-rtp-g711.pcap: 0.1 s apart) must not take each other's streams,
    /// so there is no slack: RTP cannot flow before the INVITE that offers
    /// it, nor start after the BYE. Without a BYE the call's end is
    /// unknown, and a stream may start up to 10 s after its last message. Times of day (a text trace) and
    /// epoch times (a capture) cannot be compared, so then every stream
    /// passes.
    static func overlaps(_ s: RTPStream, _ window: (start: Double, end: Double, ended: Bool)?) -> Bool {
        guard let w = window, LadderTime.isEpoch(w.start) == LadderTime.isEpoch(s.firstTime) else { return true }
        return s.lastTime >= w.start && s.firstTime <= w.end + (w.ended ? 0 : 10)
    }

    static func stream(_ rtp: RTPStream, adverts: [Advert], names: [String], index: MediaIndex) -> Stream {
        func latest(_ matching: [Advert]) -> Advert? {
            matching.last { ($0.time ?? -.infinity) <= rtp.firstTime } ?? matching.first
        }
        let toAdvert = latest(adverts.filter { $0.port != 0 && $0.endpoint == rtp.destination })
        let fromAdvert = latest(adverts.filter { $0.port != 0 && $0.endpoint == rtp.source })
        // The ends are whose media addresses these are, not who relayed
        // the SDP: through a proxy that does not anchor media the phones
        // send to each other. Packets from an address no SDP gave (NAT)
        // come from the one the receiver's SDP was offered to.
        var sender: Int?, receiver: Int?
        if let a = toAdvert {
            receiver = a.owner
            sender = fromAdvert?.owner ?? counterpart(of: a, in: adverts)?.owner ?? a.peer
        } else if let b = fromAdvert {
            sender = b.owner
            receiver = counterpart(of: b, in: adverts)?.owner ?? b.peer
        }
        // What the sender itself advertised to the receiver: where its
        // packets should come from if nothing rewrote them.
        var advertisedSource: Endpoint?
        if let s = sender, let r = receiver,
           let own = latest(adverts.filter { $0.owner == s && $0.port != 0 && counterpart(of: $0, in: adverts)?.owner == r }),
           own.endpoint != rtp.source, !own.isHoldAddress {
            advertisedSource = own.endpoint
        }
        let pt = rtp.payloadTypes.first
        let codec = pt.flatMap { toAdvert?.codecs[$0] ?? fromAdvert?.codecs[$0] ?? StaticPayloadType.name(String($0)) }
        let rtcp = StreamRTCP(ssrc: rtp.ssrc, clockRate: rtp.clockRate, index: index)
        let jitter = rtp.clockRate > 0 ? rtp.jitterMeanMs : 0
        let r = EModel.rFactor(lossPercent: rtp.lossPercent,
                               oneWayDelayMs: EModel.estimatedDelay(jitterMs: jitter, latencyMs: rtcp.roundTripMs.map { $0 / 2 }),
                               codec: codec)
        func name(_ i: Int?, _ e: Endpoint) -> String { i.flatMap { names.indices.contains($0) ? names[$0] : nil } ?? e.description }
        return Stream(rtp: rtp, sender: sender, receiver: receiver,
                      senderName: name(sender, rtp.source), receiverName: name(receiver, rtp.destination),
                      advertisedSource: advertisedSource,
                      destinationAdvert: toAdvert.flatMap { position(of: $0, in: adverts) },
                      codec: codec, rtcp: rtcp, mosEstimate: EModel.mos(r: r))
    }

    /// The SDP the other side of `a`'s hop last sent back (the answer to
    /// an offer, the offer an answer answers).
    static func counterpart(of a: Advert, in adverts: [Advert]) -> Advert? {
        adverts.last { $0.advertiser == a.peer && $0.peer == a.advertiser && $0.isEffective }
            ?? adverts.last { $0.advertiser == a.peer && $0.peer == a.advertiser }
    }

    static func position(of a: Advert, in adverts: [Advert]) -> Int? {
        adverts.firstIndex { $0.position == a.position && $0.port == a.port && $0.address == a.address }
    }

    // MARK: - Paths

    /// Every direction between two participants that both advertised
    /// media to each other, with the time audio was expected on it.
    static func paths(adverts: [Advert], streams: [Stream], names: [String], end: Double?) -> [Path] {
        var pairs: [(sender: Int, receiver: Int)] = []
        for a in adverts where a.isEffective {
            // Whoever owns the SDP sent back on the advert's hop sends to it.
            guard let back = lastEffectiveAdvert(adverts, from: a.peer, to: a.advertiser).map({ adverts[$0].owner }),
                  back != a.owner,
                  !pairs.contains(where: { $0.sender == back && $0.receiver == a.owner }) else { continue }
            pairs.append((back, a.owner))
        }
        var out: [Path] = []
        for (sender, receiver) in pairs {
            var mine: [Int] = []
            var packets = 0
            for (i, s) in streams.enumerated() where s.sender == sender && s.receiver == receiver {
                mine.append(i)
                packets += s.rtp.packets
            }
            var path = Path(sender: sender, receiver: receiver,
                            senderName: names.indices.contains(sender) ? names[sender] : "?",
                            receiverName: names.indices.contains(receiver) ? names[receiver] : "?",
                            streams: mine, packets: packets,
                            expectedSeconds: nil, expectedFrom: nil, expectedUntil: nil, quiet: [],
                            receiverAdvert: lastEffectiveAdvert(adverts, owner: receiver, facing: sender),
                            senderAdvert: lastEffectiveAdvert(adverts, owner: sender, facing: receiver))
            timeline(&path, adverts: adverts, names: names, end: end)
            out.append(path)
        }
        return out
    }

    static func lastEffectiveAdvert(_ adverts: [Advert], from advertiser: Int, to peer: Int) -> Int? {
        adverts.lastIndex { $0.isEffective && $0.advertiser == advertiser && $0.peer == peer }
    }

    /// The last SDP that took effect giving `owner`'s media address on a
    /// hop whose other side sent back `other`'s.
    static func lastEffectiveAdvert(_ adverts: [Advert], owner: Int, facing other: Int) -> Int? {
        adverts.indices.last { i in
            let a = adverts[i]
            return a.isEffective && a.owner == owner && lastEffectiveAdvert(adverts, from: a.peer, to: a.advertiser).map { adverts[$0].owner } == other
        }
    }

    /// True when the effective SDP `a` belongs to the path between
    /// `sender` and `receiver`, whichever of them it is from.
    static func belongs(_ a: Advert, to path: Path, in adverts: [Advert]) -> Bool {
        guard a.isEffective, a.owner == path.sender || a.owner == path.receiver,
              let back = lastEffectiveAdvert(adverts, from: a.peer, to: a.advertiser).map({ adverts[$0].owner }) else { return false }
        return (a.owner == path.sender && back == path.receiver) || (a.owner == path.receiver && back == path.sender)
    }

    /// Walks the effective SDP of both ends in time order: audio from the
    /// sender is expected while the sender's SDP lets it send and the
    /// receiver's lets it receive (RFC 3264 section 6.1; `c=0.0.0.0` is
    /// RFC 2543's hold). The rest is quiet, with the SDP that made it so.
    static func timeline(_ path: inout Path, adverts: [Advert], names: [String], end: Double?) {
        let events = adverts.filter { a in
            a.effectiveTime != nil && belongs(a, to: path, in: adverts)
        }.sorted { ($0.effectiveTime ?? 0, $0.position) < ($1.effectiveTime ?? 0, $1.position) }
        guard let end else { return }
        var senderSDP: Advert?, receiverSDP: Advert?
        var from: Double?
        var expected = 0.0
        var quiet: [Quiet] = []
        for (k, e) in events.enumerated() {
            if e.owner == path.sender { senderSDP = e } else { receiverSDP = e }
            guard let s = senderSDP, let r = receiverSDP, let t = e.effectiveTime else { continue }
            if from == nil { from = t }
            let next = k + 1 < events.count ? max(t, min(events[k + 1].effectiveTime ?? end, end)) : max(t, end)
            guard next > t || k + 1 == events.count else { continue }
            if s.sends && r.receives {
                expected += next - t
            } else {
                let cause = s.sends ? r : s
                let who = names.indices.contains(cause.owner) ? names[cause.owner] : "?"
                let what = "\(who) set \(cause.holdReason ?? "a=\(cause.direction.rawValue)")"
                let reason = "\(what) (#\(cause.messageIndex))"
                // A proxy's relay of the same SDP is the same hold, not a new one.
                if let last = quiet.last, last.end == t, last.reason.hasPrefix(what + " (#") {
                    quiet[quiet.count - 1].end = next
                } else {
                    quiet.append(Quiet(start: t, end: next, reason: reason, messageIndex: cause.messageIndex))
                }
            }
        }
        guard let start = from else { return }
        path.expectedFrom = start
        path.expectedUntil = max(start, end)
        path.expectedSeconds = expected
        path.quiet = quiet
    }
}
