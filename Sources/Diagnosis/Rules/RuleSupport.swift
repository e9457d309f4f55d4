import SIPCore

/// Wording and checks several rules share.
extension CallContext {
    /// Who must act for a final response, by its class (domain brief
    /// section 2): 4xx points at the requester, 5xx at the server, trunk
    /// or carrier, 6xx is a global answer from the far end.
    public func responsibleSide(forResponseAt pos: Int) -> String {
        let code = message(pos).statusCode ?? 0
        switch code {
        case 400..<500:
            // On a far leg the requester relays someone else's call: say whose.
            let origin = participants.list[participants.ends[0].from].name
            let onBehalf = origin != receiver(pos) ? ", asking on behalf of \(origin)" : ""
            return "requester: \(receiver(pos))\(onBehalf) (refused by \(sender(pos)))"
        case 500..<600: return "server side: \(sender(pos)) (or the trunk/carrier behind it)"
        case 600..<700: return "far end: \(sender(pos)) gave a global answer"
        default: return sender(pos)
        }
    }

    /// Evidence lines for the Reason and Warning headers of a response.
    public func reasonEvidence(_ pos: Int) -> [Evidence] {
        var out: [Evidence] = []
        let m = message(pos)
        if let q = m.q850Cause {
            out.append(Evidence("Reason: \(q)\(q.text.map { " \"\($0)\"" } ?? "")", messages: [ref(pos)]))
        }
        for w in m.values("warning") {
            out.append(Evidence("Warning: \(w)", messages: [ref(pos)]))
        }
        return out
    }

    /// The first-failure evidence line every rule starts with.
    public func failureEvidence() -> Evidence? {
        guard let f = firstFailure else { return nil }
        let m = messages[f.position]
        var text = "\(m.message.summary) from \(describeSender(f.position)) to \(describeReceiver(f.position))"
        if let req = failedRequest, req != f.position, let method = message(req).method {
            text += " in answer to \(method) (#\(ref(req)))"
        }
        return Evidence(text, messages: [m.index])
    }
}

/// Telephone-number checks for the Request-URI.
enum NumberCheck {
    /// Says what is wrong with a dialled number, or nil if it looks like
    /// valid E.164 (or is not a number at all, like an extension name).
    static func problem(with uri: String?) -> String? {
        guard let uri, let parsed = SIPURI(uri), let user = parsed.user else { return nil }
        let digits = user.filter(\.isNumber)
        guard digits.count >= 7, digits.count == user.filter({ $0 != "+" && $0 != "-" && $0 != "." }).count else { return nil }
        if user.hasPrefix("+") {
            if digits.count < 8 || digits.count > 15 { return "\(user) has \(digits.count) digits, outside E.164's 8 to 15" }
            if digits.hasPrefix("1"), digits.count != 11 { return "\(user) is a +1 (NANP) number with \(digits.count) digits instead of 11: a digit was dropped or added" }
            return nil
        }
        if digits.count == 10 { return "\(user) has no country code (10 digits, not E.164 +1\(digits)): the dial plan may need to add +1" }
        if digits.count == 11, digits.hasPrefix("1") { return "\(user) lacks the leading + of E.164" }
        if digits.count == 9 { return "\(user) has 9 digits: a digit looks dropped by the dial plan" }
        return nil
    }
}
