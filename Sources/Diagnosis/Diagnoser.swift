import SIPCore
import TraceFormats

/// Options that change how calls are read: the address-to-name map.
public struct DiagnosisOptions: Sendable {
    public var peers: PeerMap
    public init(peers: PeerMap = PeerMap()) {
        self.peers = peers
    }
}

/// Why a diagnosis could not be made.
public enum DiagnoseError: Error, Sendable, Equatable, CustomStringConvertible {
    case callIDNotFound(String, available: [String])
    case noMessages

    public var description: String {
        switch self {
        case .callIDNotFound(let id, let available):
            let shown = available.prefix(20).map { "  \($0)" }.joined(separator: "\n")
            let more = available.count > 20 ? "\n  ... and \(available.count - 20) more" : ""
            return "Call-ID \(id) is not in the trace; it holds \(available.count) Call-ID(s):\n\(shown)\(more)"
        case .noMessages:
            return "the trace holds no SIP message with a Call-ID to diagnose; check that the export is complete (Call-ID or i: header present in each message)"
        }
    }
}

/// The entry point of the diagnosis core: pure and deterministic (same
/// trace in, same diagnosis out), no I/O, no clock.
public struct Diagnoser: Sendable {
    public var options: DiagnosisOptions
    public var rules: [any DiagnosisRule]

    public init(options: DiagnosisOptions = DiagnosisOptions(), rules: [any DiagnosisRule] = RuleBook.all) {
        self.options = options
        self.rules = rules
    }

    /// Distinct Call-IDs in order of first appearance.
    public func callIDs(in trace: Trace) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for m in trace.messages {
            if let id = m.message.callID, seen.insert(id).inserted { out.append(id) }
        }
        return out
    }

    /// The calls of the trace, legs tied.
    public func calls(in trace: Trace) -> [Call] { LegTier().calls(in: trace) }

    /// The call that holds `callID`, with every leg tied to it.
    public func diagnose(_ trace: Trace, callID: String) throws(DiagnoseError) -> Diagnosis {
        let call = try self.call(callID, in: trace)
        var d = diagnose(call, format: trace.format, index: trace.media.map(MediaIndex.init), credentials: AcceptedCredentials(trace.messages))
        d.callID = callID
        return d
    }

    /// The call that holds `callID`, with every leg tied to it.
    public func call(_ callID: String, in trace: Trace) throws(DiagnoseError) -> Call {
        let calls = self.calls(in: trace)
        guard !calls.isEmpty || !trace.skippedCallIDs.isEmpty else { throw .noMessages }
        guard let call = calls.first(where: { $0.callIDs.contains(callID) }) else {
            let kept = callIDs(in: trace)
            throw .callIDNotFound(callID, available: kept + trace.skippedCallIDs.filter { !kept.contains($0) })
        }
        return call
    }

    /// The capture's streams tied to a call; nil for a text trace.
    public func media(of call: Call, in trace: Trace) -> CallMedia? {
        guard let capture = trace.media else { return nil }
        let flow = CallFlow(call: call)
        return CallMedia(flow: flow, participants: Participants(flow: flow, peers: options.peers), index: MediaIndex(capture))
    }

    /// One diagnosis per call in the trace.
    public func diagnoseAll(_ trace: Trace) -> [Diagnosis] {
        // Indexed once: every call looks its streams up in it.
        let index = trace.media.map(MediaIndex.init)
        let credentials = AcceptedCredentials(trace.messages)
        return calls(in: trace).map { diagnose($0, format: trace.format, index: index, credentials: credentials) }
    }

    /// One call; `media` is the capture's (`Trace.media`), nil for text traces.
    public func diagnose(_ call: Call, format: TraceFormat, media: MediaCapture? = nil) -> Diagnosis {
        diagnose(call, format: format, index: media.map(MediaIndex.init), credentials: AcceptedCredentials(call.messages))
    }

    func diagnose(_ call: Call, format: TraceFormat, index: MediaIndex?, credentials: AcceptedCredentials) -> Diagnosis {
        let flow = CallFlow(call: call)
        let participants = Participants(flow: flow, peers: options.peers)
        let failure = FirstFailureFinder().find(in: flow)
        let media = index.map { CallMedia(flow: flow, participants: participants, index: $0) }
        var context = CallContext(flow: flow, participants: participants, firstFailure: failure, media: media)
        context.acceptedCredentials = credentials
        let findings = rules.compactMap { $0.evaluate(context) }
        let lead = leadFinding(findings, hasFailure: failure != nil) ?? HealthyCall.finding(context)
        // Rules that explain the same first failure less specifically add
        // nothing; observations and other problems are worth listing.
        let others = findings.filter { $0 != lead && $0.role != .explainsFirstFailure }

        var limitations = lead.limitations
        limitations += mediaLimitations(media)
        if call.messages.contains(where: { $0.message.isElided }) {
            limitations.append("Some headers were elided (\"...\") in the trace; checks that need them may have missed something.")
        }
        if !call.hasTimestamps {
            limitations.append("The trace has no timestamps, so timer checks (32 s timeouts, drops at 32 s) could not be made.")
        }
        for f in others { limitations.append(contentsOf: f.limitations) }
        if let f = failure, case .response = f.kind, flow.transactionOf[f.position] == nil {
            limitations.append("The request #\(call.messages[f.position].index) answers is not in the trace: what was asked (Request-URI, SDP, credentials) could not be checked.")
        }
        for t in flow.transactions where t.finalResponse == nil && (t.method == "INVITE" || t.method == "REGISTER") && t.request != failure?.position {
            let m = call.messages[t.request]
            limitations.append("\(t.method) #\(m.index) has no final response in the trace: the capture may have ended before it was answered.")
        }

        var warnings: [String] = []
        for m in call.messages { warnings += m.message.warnings.map { "#\(m.index): \($0)" } }

        let rows = flow.distinctPositions.map { pos -> LadderRow in
            let c = call.messages[pos]
            let ends = participants.ends[pos]
            return LadderRow(messageIndex: c.index, time: c.timestamp, from: ends.from, to: ends.to,
                             label: c.message.summary, hasSDP: flow.sdpAt[pos] != nil, count: flow.sendCount[pos],
                             callID: c.message.callID ?? "", isFirstFailure: pos == failure?.position)
        }

        let failureRef = failure.map { f -> FirstFailureRef in
            let c = call.messages[f.position]
            var summary = c.message.summary
            if case .noFinalResponse = f.kind { summary += " (no final response)" }
            if case .noACK = f.kind { summary += " (never ACKed)" }
            return FirstFailureRef(messageIndex: c.index, summary: summary, callID: c.message.callID ?? "", explanation: f.explanation)
        }

        // The platform's words next to the first failure are evidence,
        // whichever rule gives the headline.
        let near = context.platformLogNearFailure
        let cited = near.map(PlatformLogRule.evidence).filter { e in !lead.evidence.contains { $0.text == e.text } }

        return Diagnosis(
            callID: call.primaryCallID,
            verdict: Verdict(family: lead.family, headline: lead.headline, outcome: lead.outcome, responsibleSide: lead.responsibleSide),
            firstFailure: failureRef,
            state: CallStateReader.state(of: context),
            legs: call.legs.map { LegInfo(callID: $0.callID, tiedBy: $0.tiedBy?.description, messageCount: $0.messages.count) },
            participants: participants.list,
            ladder: rows,
            evidence: lead.evidence + cited,
            fixSteps: lead.fixSteps,
            limitations: unique(limitations),
            confidence: lead.confidence,
            otherFindings: (others.filter(isConcern) + others.filter { !isConcern($0) }).map { FindingSummary(family: $0.family, headline: $0.headline) },
            warnings: warnings,
            media: media?.summary,
            platformLog: call.platformLog.isEmpty ? nil : call.platformLog.map { t in
                PlatformLogEntry(platform: t.line.platform.rawValue, level: t.line.level.rawValue, time: t.line.time, line: t.line.line,
                                 afterMessage: t.line.afterMessage, text: t.line.text, callID: t.line.callID, channel: t.line.channel,
                                 hangupCause: t.line.hangupCause, tiedBy: t.tiedBy.rawValue, nearFirstFailure: near.contains(t),
                                 reason: PlatformLogReason(t.line)?.rawValue)
            }
        )
    }

    /// What the trace says about media, honestly: nothing for a text trace;
    /// for a capture, what was measured and where.
    func mediaLimitations(_ media: CallMedia?) -> [String] {
        guard let media else {
            return ["No RTP in this trace (text), so media was not measured: one-way or choppy audio can only be proven from a capture with RTP."]
        }
        if media.captureStreamCount == 0 {
            return ["The capture holds no RTP at all (was it filtered to the signalling, e.g. port 5060?), so media was not measured: one-way or choppy audio cannot be proven from it."]
        }
        guard !media.streams.isEmpty else { return [] }
        let n = media.streams.count
        return ["RTP measured at the capture point (\(n) stream\(n == 1 ? "" : "s") of this call): loss and jitter are what reached that point, not necessarily what the phones heard; MOS figures are E-model estimates."]
    }

    /// The finding that gives the headline: the first rule (in RuleBook
    /// order) that explains the first failure; without a failure, the
    /// first call problem.
    func leadFinding(_ findings: [Finding], hasFailure: Bool) -> Finding? {
        if hasFailure, let f = findings.first(where: { $0.role == .explainsFirstFailure }) { return f }
        return findings.first { $0.role == .callProblem }
    }

    /// Problems are listed before reassuring notes ("signed with full attestation").
    func isConcern(_ f: Finding) -> Bool { f.role > .observation || f.outcome != .healthy }

    func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
