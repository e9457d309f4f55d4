import SIPCore

/// Why a 403 to a request that carried credentials may be about what was
/// dialled rather than the password. A registrar or proxy that has checked
/// the digest and then refuses the destination answers 403 too; the signs
/// of that are in the answer (a Q.850 cause such as 21 "call rejected", a
/// Warning naming a restriction), in the destination (international,
/// premium, toll-free: what class-of-service rules bar), and elsewhere in
/// the trace (the same username accepted on another request).
struct PolicyRefusal {
    /// Causes a switch gives for a refused destination or service, not for
    /// a bad password.
    static let policyCauses: Set<Int> = [21, 29, 50, 55, 57, 63, 87]
    static let policyWords = ["not allowed", "not permitted", "barred", "restrict", "class of service", "permission",
                              "international", "premium", "toll", "dial plan", "dialplan", "blocked", "prohibited",
                              "calling plan", "not authorized for", "no route", "call rejected"]
    static let passwordWords = ["password", "authenticat", "credential", "digest", "nonce", "realm", "unauthori", "bad auth"]

    /// Evidence pointing at policy; empty when the 403 says nothing of it.
    var signs: [Evidence] = []
    /// The refusal text names the password or the authentication itself.
    var namesAuthentication = false
    var destination: DialledDestination?

    static func warnText(_ warning: String) -> String {
        guard let open = warning.firstIndex(of: "\""), let close = warning.lastIndex(of: "\""), open < close else { return warning }
        return String(warning[warning.index(after: open)..<close])
    }

    var pointsAtPolicy: Bool { !signs.isEmpty && !namesAuthentication }

    init(_ c: CallContext, response: Int, request: Int) {
        let answer = c.message(response)
        let asked = c.message(request)
        // Warning is `code agent "text"`: only the text speaks.
        var texts: [String] = answer.values("warning").map(Self.warnText)
        if let q = answer.q850Cause {
            if Self.policyCauses.contains(q.value) {
                signs.append(Evidence("\(q) is a refusal of the call, not of the password", messages: [c.ref(response)]))
            } else if let t = q.text {
                texts.append(t)
            }
        }
        for text in texts {
            let lower = text.lowercased()
            if Self.passwordWords.contains(where: lower.contains) {
                namesAuthentication = true
            } else if let word = Self.policyWords.first(where: lower.contains) {
                signs.append(Evidence("the refusal says \"\(text)\" (\(word)): a rule about the call, not the credentials", messages: [c.ref(response)]))
            }
        }
        let caller = (asked["p-asserted-identity"].flatMap(NameAddress.init)?.uri ?? asked.from?.uri)?.number
        destination = DialledDestination(dialled: SIPURI(asked.requestURI ?? "")?.user ?? asked.to?.uri?.user, caller: caller)
        if let d = destination {
            signs.append(Evidence("\(SIPURI(asked.requestURI ?? "")?.user ?? "the number") is \(d.withArticle) destination, which class-of-service rules commonly bar", messages: [c.ref(request)]))
        }
        let header = asked["authorization"] ?? asked["proxy-authorization"]
        if let user = header.flatMap({ DigestParameters.digest($0)["username"] }),
           let accepted = c.acceptedCredentials.acceptedBy[user] {
            signs.append(Evidence("the same credentials (user \(user)) were accepted in #\(accepted): the password works", messages: [accepted]))
        }
    }
}
