import Foundation
import TraceFormats

/// The platform said why: a log line the platform wrote while handling
/// the failing transaction (Asterisk, FreeSWITCH or Kamailio, pasted with
/// the SIP from its console) that names the cause (`PlatformLogReason`).
/// The SIP response alone says only 404 or 488 or 503; the log says
/// "extension not found in context 'from-internal'", "No joint
/// capabilities", "no available proxies". Lines elsewhere in the call
/// that name a cause are observations.
struct PlatformLogRule: DiagnosisRule {
    let family = "platform-log"

    func evaluate(_ c: CallContext) -> Finding? {
        if c.firstFailure != nil, let (tied, reason) = first(c.platformLogNearFailure) {
            return explain(c, tied, reason)
        }
        guard let (tied, reason) = first(c.call.platformLog.filter { $0.line.level != .notice || PlatformLogReason($0.line) != nil }) else { return nil }
        let l = tied.line
        return Finding(family: family, role: .observation,
                       headline: "\(l.platform.name) logged that \(reason.meaning(l)) during the call: \(Self.quote(l.text))",
                       outcome: .degraded, responsibleSide: "\(l.platform.name) configuration",
                       evidence: [Self.evidence(tied)], fixSteps: reason.fixSteps,
                       confidence: Confidence(.medium, "the platform's own log line, tied to the call by \(Self.tiedWords(tied.tiedBy)); not next to a SIP failure"))
    }

    func first(_ lines: [TiedLogLine]) -> (TiedLogLine, PlatformLogReason)? {
        for t in lines { if let r = PlatformLogReason(t.line) { return (t, r) } }
        return nil
    }

    func explain(_ c: CallContext, _ tied: TiedLogLine, _ reason: PlatformLogReason) -> Finding {
        let l = tied.line
        let answer = c.firstFailure.map { c.message($0.position).summary } ?? "a failure"
        var evidence: [Evidence] = []
        if let e = c.failureEvidence() { evidence.append(e) }
        evidence.append(Self.evidence(tied))
        let sure = tied.tiedBy != .adjacency || c.platformLogNearFailure.count == 1
        return Finding(
            family: family, role: .explainsFirstFailure,
            headline: "\(l.platform.name) answered \(answer) because \(reason.meaning(l)); its log says: \(Self.quote(l.text))",
            outcome: .failed,
            responsibleSide: "\(l.platform.name) configuration (\(c.firstFailure.map { c.sender($0.position) } ?? l.platform.name))",
            evidence: evidence, fixSteps: reason.fixSteps,
            confidence: Confidence(sure ? .high : .medium,
                                   "the platform's own log line next to the failure, tied to the call by \(Self.tiedWords(tied.tiedBy))"))
    }

    static func tiedWords(_ t: TiedLogLine.TiedBy) -> String {
        switch t {
        case .callID: "the Call-ID it quotes"
        case .channel: "its channel name"
        case .adjacency: "where it sits among the call's messages"
        }
    }

    /// The log text without its source location, shortened for a
    /// headline: Asterisk `res_pjsip_session.c:3456 new_invite: `,
    /// FreeSWITCH `switch_channel.c:3993 `, Kamailio
    /// `rtpengine [rtpengine.c:2674]: rtpp_function_call(): `.
    static func quote(_ text: String) -> String {
        var t = Substring(text)
        if let close = t.range(of: "]: "), t[..<close.lowerBound].contains(".c:") { t = t[close.upperBound...] }
        if let first = t.split(separator: " ", maxSplits: 1).first, first.contains(".c:") || first.hasSuffix(".c:") {
            t = t.dropFirst(first.count).drop { $0 == " " }
        }
        // A function name: `new_invite: `, `rtpp_function_call(): `.
        if let word = t.split(separator: " ", maxSplits: 1).first, word.hasSuffix(":"), word.dropLast().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "(" || $0 == ")" }) {
            t = t.dropFirst(word.count).drop { $0 == " " }
        }
        let s = t.trimmingCharacters(in: .whitespaces)
        return s.count > 160 ? String(s.prefix(157)) + "..." : s
    }

    /// `Asterisk NOTICE (log line 41, after #1): res_pjsip_session.c:...`.
    static func evidence(_ t: TiedLogLine) -> Evidence {
        let l = t.line
        var place = "log line \(l.line)"
        if l.afterMessage > 0 { place += ", after #\(l.afterMessage)" }
        return Evidence("\(l.platform.name) \(l.level.rawValue.uppercased()) (\(place)): \(l.text)", messages: l.afterMessage > 0 ? [l.afterMessage] : [])
    }
}
