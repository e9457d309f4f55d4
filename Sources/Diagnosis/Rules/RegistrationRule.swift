import SIPCore
import TraceFormats

/// Registration that keeps dropping: the server grants a shorter expiry
/// than asked, the phone re-registers later than the grant, the NAT
/// pinhole closes in between.
struct RegistrationRule: DiagnosisRule {
    let family = "registration"

    struct Grant {
        var request: Int
        var answer: Int
        var requested: Expiry?
        var granted: Expiry?
    }

    func evaluate(_ c: CallContext) -> Finding? {
        let grants = c.flow.transactions.filter { $0.method == "REGISTER" }.compactMap { t -> Grant? in
            guard let f = t.finalResponse, let code = c.message(f).statusCode, (200..<300).contains(code) else { return nil }
            let req = c.message(t.request)
            return Grant(request: t.request, answer: f, requested: Self.expiry(req, contactOf: nil), granted: Self.expiry(c.message(f), contactOf: req))
        }
        guard let g = grants.first(where: { ($0.granted?.seconds ?? 0) > 0 }), let grant = g.granted else { return nil }
        let granted = grant.seconds
        // The guide's own check, in one line: what the phone asked for
        // against what the registrar granted, each with where it was read.
        let asked = g.requested.map { "asked Expires \($0.seconds) s (\($0.source))" } ?? "asked no expiry (the registrar's default applies)"
        let evidence0 = Evidence("REGISTER #\(c.ref(g.request)) \(asked), \(c.message(g.answer).summary) #\(c.ref(g.answer)) granted \(granted) s (\(grant.source))",
                                 messages: [c.ref(g.request), c.ref(g.answer)])
        var evidence = [evidence0]
        // What the phone asked for; a grant with no ask was not overridden.
        let askedSeconds = g.requested?.seconds ?? granted
        let overridden = askedSeconds > granted

        // Lapses: the next REGISTER came later than the grant ran.
        var lapses: [(Int, Double)] = []
        let registers = c.requests("REGISTER")
        for gr in grants {
            guard let grant = gr.granted?.seconds, let t0 = c.messages[gr.answer].timestamp,
                  let next = registers.first(where: { $0 > gr.answer }), let t1 = c.messages[next].timestamp else { continue }
            if t1 - t0 > Double(grant) { lapses.append((next, t1 - t0 - Double(grant))) }
        }
        for (next, late) in lapses.prefix(3) {
            evidence.append(Evidence("next REGISTER came \(Figure.text(late.rounded())) s after the registration expired: the phone was offline in between", messages: [c.ref(next)]))
        }
        let contact = c.message(g.request).contacts.first?.uri?.host
        // A private Contact is NAT only when the registrar sits outside the
        // phone's network: a LAN phone registering to a LAN PBX (a private
        // registrar, no public Via received) has no pinhole to keep open.
        let registrar = c.participants.receiver(ofMessageAt: g.request).address.flatMap(Endpoint.host)
        let receivedPublic = c.message(g.answer).topVia?.received.map { AddressClass($0) == .public } ?? false
        let registrarOnLAN = (registrar.map { AddressClass($0).isUnroutable } ?? false) && !receivedPublic
        let behindNAT = (contact.map { AddressClass($0).isUnroutable } ?? false) && !registrarOnLAN
        if behindNAT, let contact {
            evidence.append(Evidence("Contact \(contact) is a private address: the phone is behind NAT, so its pinhole must be kept open", messages: [c.ref(g.request)]))
        }
        let refresh = Self.refreshInterval(c, registers)
        if let r = refresh { evidence.append(Evidence("the phone re-registers every \(Figure.text(r.rounded())) s")) }

        let problem = !lapses.isEmpty || (overridden && (refresh.map { $0 > Double(granted) } ?? true))
        guard problem else {
            guard overridden else { return nil }
            return Finding(family: family, role: .observation,
                           headline: "Registration expiry shortened from \(askedSeconds) s to \(granted) s, and the phone re-registers in time",
                           outcome: .healthy, responsibleSide: nil, evidence: evidence, fixSteps: [],
                           confidence: Confidence(.medium, "re-registration interval seen in the trace"))
        }
        var fix = [
            "Set the phone's re-register interval below the granted \(granted) s (e.g. \(max(granted - 10, granted * 8 / 10)) s).",
            "Or raise the domain's accepted registration expiry so the server grants what the phone asks.",
        ]
        if behindNAT { fix.append("Keep the NAT pinhole open: keep-alive about 25 s (Polycom/Yealink setting), and disable SIP ALG on the router.") }
        // With no later REGISTER in the trace, nothing shows the phone
        // missing the grant: say what is at stake, not that it dropped.
        let unseen = lapses.isEmpty && refresh == nil
        if unseen {
            evidence.append(Evidence("the trace ends before the phone's next REGISTER: whether it re-registers within \(granted) s is not shown"))
        }
        return Finding(
            family: family, role: .callProblem,
            headline: unseen
                ? "Registration expiry cut from \(askedSeconds) s to \(granted) s: the phone must re-register within \(granted) s or drop off (the trace ends before its next REGISTER)"
                : overridden
                ? "Registration drops: the phone asked for \(askedSeconds) s, the server granted \(granted) s\(lapses.isEmpty ? "" : ", and the phone re-registered too late")"
                : "Registration drops: the phone re-registers later than the granted \(granted) s",
            outcome: .degraded, responsibleSide: "phone configuration (re-register interval) against the server's expiry override",
            evidence: evidence, fixSteps: fix,
            limitations: c.call.hasTimestamps ? [] : ["No timestamps: the re-register interval could not be measured against the grant."],
            confidence: lapses.isEmpty ? Confidence(.medium, "expiry overridden; the lapse itself is not in the trace") : Confidence(.high, "re-registration seen arriving after the grant expired"))
    }

    /// An expiry and where it was read (`Contact expires=3600`, `Expires header`).
    struct Expiry {
        var seconds: Int
        var source: String
    }

    /// Expires of a REGISTER (Contact param, else Expires header), or of
    /// its 200 OK (the Contact matching the request's, else Expires): RFC
    /// 3261 10.2.4, a registrar states each binding's expiry in its Contact.
    static func expiry(_ m: SIPMessage, contactOf request: SIPMessage?) -> Expiry? {
        func param(_ contact: NameAddress) -> Expiry? {
            contact.parameters["expires"].flatMap(DeltaSeconds.parse).map { Expiry(seconds: $0, source: "Contact expires=\($0)") }
        }
        let contacts = m.contacts
        if let request, let mine = request.contacts.first?.uri {
            if let match = contacts.first(where: { $0.uri?.host == mine.host && $0.uri?.user == mine.user }),
               let e = param(match) { return e }
        } else if let first = contacts.first, let e = param(first) {
            return e
        }
        if let e = m["expires"].flatMap(DeltaSeconds.parse) { return Expiry(seconds: e, source: "Expires header") }
        if request != nil, let first = contacts.first, let e = param(first) { return e }
        return nil
    }

    static func refreshInterval(_ c: CallContext, _ registers: [Int]) -> Double? {
        let times = registers.compactMap { c.messages[$0].timestamp }
        guard times.count >= 2 else { return nil }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.filter { $0 > 1 }
        guard !gaps.isEmpty else { return nil }
        return gaps.sorted()[gaps.count / 2]
    }
}
