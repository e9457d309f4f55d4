import SIPCore
import TraceFormats

/// The first failure of a call, as domain brief section 2 defines it: the
/// first final response >= 300 that a careful reader would not excuse, or
/// a request that never got a final response, or a 2xx never ACKed.
public struct FirstFailure: Sendable {
    public enum Kind: Sendable, Equatable {
        case response(code: Int)
        /// Timer B fired, or the request was resent until it should have.
        case noFinalResponse
        case noACK
    }

    /// Position in `Call.messages`.
    public var position: Int
    public var kind: Kind
    /// Why this one counts, naming what was excused before it.
    public var explanation: String
    /// Earlier responses a careful reader discounts, and why.
    public var excused: [(position: Int, reason: String)]

    public var statusCode: Int? { if case .response(let c) = kind { return c } else { return nil } }
}

/// Timer T1 and timer B of RFC 3261.
enum SIPTimers {
    static let t1 = 0.5
    static let timerB = 64 * t1
}

public struct FirstFailureFinder: Sendable {
    public init() {}

    public func find(in flow: CallFlow) -> FirstFailure? {
        let messages = flow.call.messages
        var excused: [(Int, String)] = []
        var candidates: [FirstFailure] = []

        for t in flow.transactions {
            if let f = t.finalResponse, let code = messages[f].message.statusCode, code >= 300 {
                if let reason = excuse(code: code, response: f, transaction: t, flow: flow) {
                    excused.append((f, reason))
                } else {
                    candidates.append(FirstFailure(position: f, kind: .response(code: code), explanation: "", excused: []))
                }
            } else if t.finalResponse == nil, t.method == "INVITE" || t.method == "REGISTER" {
                if let c = unanswered(t, flow: flow) { candidates.append(c) }
            }
            if let f = t.finalResponse, t.method == "INVITE", let code = messages[f].message.statusCode, (200..<300).contains(code),
               let c = unacknowledged(t, answer: f, flow: flow) {
                candidates.append(c)
            }
        }
        // A failure whose request is not in the trace (a snippet pasted into
        // a ticket, a log that starts mid-call) still counts: the response
        // alone says what was refused and by whom.
        for pos in flow.distinctPositions where flow.transactionOf[pos] == nil {
            let m = messages[pos].message
            guard let code = m.statusCode, code >= 300, let cseq = m.cseq else { continue }
            let ask = Ask(callID: m.callID ?? "", method: cseq.method, cseq: cseq.number, request: nil)
            if let reason = excuse(code: code, response: pos, ask: ask, flow: flow) {
                excused.append((pos, reason))
            } else {
                candidates.append(FirstFailure(position: pos, kind: .response(code: code), explanation: "", excused: []))
            }
        }

        guard var first = candidates.min(by: { $0.position < $1.position }) else { return nil }
        let before = excused.filter { $0.0 < first.position }.sorted { $0.0 < $1.0 }
        first.excused = before
        first.explanation = explanation(first, excused: before, flow: flow)
        return first
    }

    /// What a failure response answered: its transaction's request, or
    /// only what the response itself says when the request is not in the
    /// trace.
    struct Ask {
        var callID: String
        var method: String
        var cseq: UInt32
        /// Position of the request; nil when the trace does not hold it.
        var request: Int?
    }

    /// Why a failure response is normal in context, or nil when it is not.
    func excuse(code: Int, response: Int, transaction t: CallFlow.Transaction, flow: CallFlow) -> String? {
        excuse(code: code, response: response, ask: Ask(callID: t.callID, method: t.method, cseq: t.cseq, request: t.request), flow: flow)
    }

    func excuse(code: Int, response: Int, ask t: Ask, flow: CallFlow) -> String? {
        let messages = flow.call.messages
        let request = t.request.map { messages[$0].message }
        if let reason = specificExcuse(code: code, response: response, ask: t, request: request, flow: flow) {
            return reason
        }
        // Failover and forking: a rejected initial INVITE on one route is
        // not the call's failure when the call was answered afterwards,
        // whatever the rejection (a 3xx nobody followed, a challenge the
        // route could not answer, a 487, a 491 included). A 6xx is a
        // global answer and is never excused this way. A response without
        // its request is judged on the To tag the request would have had:
        // unknown, so only its method counts.
        let initial = request.map { $0.to?.tag == nil } ?? true
        if t.method == "INVITE", code < 600, initial,
           let answered = flow.transactions.first(where: { a in
               a.method == "INVITE" && (a.finalResponse ?? -1) > response
                   && flow.succeeded(a)
                   && messages[a.request].message.to?.tag == nil
           }), let answer = answered.finalResponse {
            return "\(code) on this route, but the call was answered afterwards (#\(messages[answer].index))"
        }
        return nil
    }

    /// The excuses particular to a status code (domain brief section 2).
    private func specificExcuse(code: Int, response: Int, ask t: Ask, request: SIPMessage?, flow: CallFlow) -> String? {
        let messages = flow.call.messages
        let later = messages.indices.filter { $0 > response && flow.repeatOf[$0] == nil }
        func laterRequests(_ method: String, sameCallID: Bool = true) -> [Int] {
            later.filter { messages[$0].message.method == method && (!sameCallID || messages[$0].message.callID == t.callID) }
        }
        switch code {
        case 401, 407:
            let hadCredentials = request.map { $0.hasHeader("authorization") || $0.hasHeader("proxy-authorization") } ?? false
            let challenge = messages[response].message[code == 401 ? "www-authenticate" : "proxy-authenticate"] ?? ""
            let stale = challenge.lowercased().replacingOccurrences(of: " ", with: "").contains("stale=true")
            let retry = laterRequests(t.method).first { i in
                let m = messages[i].message
                return (m.hasHeader("authorization") || m.hasHeader("proxy-authorization")) && (m.cseq?.number ?? 0) > t.cseq
            }
            if let retry, !hadCredentials || stale {
                return "\(code) challenge answered with credentials in #\(messages[retry].index)"
            }
            return nil
        case 487:
            // The CANCEL of this INVITE, or one on another leg that a
            // B2BUA relayed; a CANCEL of some other request excuses nothing.
            let cancel = messages.indices.first { i in
                let m = messages[i].message
                guard i < response, m.method == "CANCEL" else { return false }
                return m.callID != t.callID || m.cseq?.number == t.cseq
            }
            if let cancel { return "487 after the CANCEL in #\(messages[cancel].index): the caller hung up" }
            return nil
        case 300..<400:
            // A redirect is followed when a new INVITE goes to a Contact it gave.
            let targets = messages[response].message.contacts.compactMap(\.uri)
            let followed = laterRequests("INVITE", sameCallID: false).first { i in
                guard let uri = SIPURI(messages[i].message.requestURI ?? "") else { return false }
                return targets.contains { $0.host == uri.host && $0.user == uri.user }
            }
            if let followed { return "\(code) redirect followed by a new INVITE to its Contact in #\(messages[followed].index)" }
            return nil
        case 422:
            // Only a retry asking for a longer interval heeds the 422; the
            // same request sent again is refused again.
            func interval(_ m: SIPMessage) -> Int? { m["session-expires"].flatMap(DeltaSeconds.parse) }
            let asked = request.flatMap(interval) ?? 0
            if let retry = laterRequests(t.method).first(where: { (interval(messages[$0].message) ?? 0) > asked }) {
                return "422 Session Interval Too Small followed by a retry with a larger Session-Expires in #\(messages[retry].index)"
            }
            return nil
        case 491:
            let retried = flow.transactions.first { r in
                r.request > response && r.callID == t.callID && r.method == t.method
                    && flow.succeeded(r)
            }
            if let r = retried { return "491 glare resolved: the retry in #\(messages[r.request].index) succeeded" }
            return nil
        default:
            return nil
        }
    }

    /// An INVITE or REGISTER that never got a final response, when the
    /// silence is proven. A silence that may only be the capture ending is
    /// no failure: the diagnosis lists it under what the trace could not show.
    func unanswered(_ t: CallFlow.Transaction, flow: CallFlow) -> FirstFailure? {
        let messages = flow.call.messages
        let sends = flow.sendCount[t.request]
        // A 408 sent back by a proxy on another leg proves the timeout.
        let proxy408 = messages.indices.contains { $0 > t.request && messages[$0].message.statusCode == 408 }
        var waited: Double? = nil
        if let start = messages[t.request].timestamp, let end = messages.last?.timestamp { waited = end - start }
        guard sends >= 3 || proxy408 || (waited ?? 0) >= SIPTimers.timerB else { return nil }
        return FirstFailure(position: t.request, kind: .noFinalResponse, explanation: "", excused: [])
    }

    /// A 2xx to INVITE that was never ACKed: resent, then usually a BYE
    /// about 32 s after the answer.
    func unacknowledged(_ t: CallFlow.Transaction, answer: Int, flow: CallFlow) -> FirstFailure? {
        let messages = flow.call.messages
        let acked = messages.indices.contains { i in
            i > answer && messages[i].message.method == "ACK" && messages[i].message.callID == t.callID
                && messages[i].message.cseq?.number == t.cseq
        }
        guard !acked, flow.sendCount[answer] >= 3 else { return nil }
        return FirstFailure(position: answer, kind: .noACK, explanation: "", excused: [])
    }

    func explanation(_ f: FirstFailure, excused: [(Int, String)], flow: CallFlow) -> String {
        let messages = flow.call.messages
        let m = messages[f.position]
        var text: String
        switch f.kind {
        case .response(let code):
            if let t = flow.transaction(of: f.position) {
                let req = messages[t.request]
                text = "first final response >= 300: #\(m.index) \(m.message.summary), answering \(req.message.method ?? "request") #\(req.index)"
            } else {
                let asked = m.message.cseq.map { "\($0.method) (CSeq \($0.number))" } ?? "its request"
                text = "first final response >= 300: #\(m.index) \(m.message.summary), answering \(asked), which is not in the trace (a snippet, or a log that starts mid-call)"
            }
            if code >= 600 { text += "; 6xx is a global answer" }
        case .noFinalResponse:
            let sends = flow.sendCount[f.position]
            text = "\(m.message.method ?? "request") (#\(m.index)) got no final response"
            if sends > 1 { text += ", sent \(sends) times" }
        case .noACK:
            text = "\(m.message.summary) (#\(m.index)) was sent \(flow.sendCount[f.position]) times and never ACKed"
        }
        if !excused.isEmpty {
            text += ". Not counted: " + excused.map { "#\(messages[$0.0].index) \(messages[$0.0].message.summary) (\($0.1))" }.joined(separator: "; ")
        }
        return text
    }
}
