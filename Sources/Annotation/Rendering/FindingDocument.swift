import Diagnosis

/// The blocks of one finding under a budget, every piece of text from the
/// trace or the sources redacted and cut to the budget's prose limit.
struct FindingDocument {
    var finding: CallFinding
    var redact: @Sendable (String) -> String
    /// `agentctl replay THREAD --backend NAME`.
    var replay: String

    /// What the budget left out of this finding, for the closing note.
    struct Left: Equatable {
        var ladderRows = 0
        var evidence = 0
        var extras = false
        var cut = false
    }

    /// What to attach when there is no usable trace: the two things the
    /// engine reads best.
    static let attachInstead: [PostDocument.Span] = [
        .text("a capture of the SIP signalling as pcap or pcapng (for example "), .code("tcpdump -i any -s 0 -w call.pcap port 5060"),
        .text(", or Wireshark's Save As pcapng), or a text export of the call's SIP messages with their headers "
            + "(sngrep's Save as .txt, Homer's text export, or the messages copied from the PBX log)."),
    ]

    func blocks(_ budget: PostBudget, left: inout Left) -> [PostDocument.Block] {
        switch finding.outcome {
        case .diagnosed(let d, let origin): return diagnosed(d, origin: origin, budget, &left)
        case .noTrace(let asked):
            return [
                .heading([.text("No trace found for this Call-ID")]),
                .paragraph([.text("Call-ID "), .code(finding.callID)]),
                .paragraph([.text(prose(asked.isEmpty ? "No trace source is configured." : "No trace source holds this call. Asked: "
                    + asked.map(redact).joined(separator: "; ") + ".", budget, &left))]),
                .paragraph([.text("Check that the Call-ID is complete and exact (it is case-sensitive) and that the call is "
                    + "recent enough for the sources to still hold it; or attach the trace to this thread: ")] + Self.attachInstead),
            ]
        case .unreadable(let origin, let reason):
            return [
                .heading([.text("The trace of this call could not be read")]),
                .paragraph([.text("Call-ID "), .code(finding.callID), .text(" · found in " + prose(redact(origin), budget, &left))]),
                .paragraph([.strong("What was wrong:"), .text(" " + prose(redact(reason), budget, &left))]),
                .paragraph([.strong("Attach instead:"), .text(" ")] + Self.attachInstead),
            ]
        case .sourcesFailed(let failures):
            return [
                .heading([.text("The trace sources could not be asked")]),
                .paragraph([.text("Call-ID "), .code(finding.callID), .text(" · nothing was concluded about this call.")]),
                .list(ordered: false, items: failures.map { [.text(prose(redact($0), budget, &left))] }),
                .paragraph([.text("Once they answer, ask again: "), .code(replay + " --refetch --post")]),
            ]
        }
    }

    func diagnosed(_ d: Diagnosis, origin: String, _ budget: PostBudget, _ left: inout Left) -> [PostDocument.Block] {
        var out: [PostDocument.Block] = []
        var headline = d.verdict.headline
        if let side = d.verdict.responsibleSide, !side.isEmpty { headline += " -- responsible: " + side }
        out.append(.heading([.text(prose(redact(headline), budget, &left))]))
        var callLine: [PostDocument.Span] = [
            .text("Call-ID "), .code(finding.callID), .text(" · outcome "), .strong(d.verdict.outcome.rawValue),
            .text(" · state "), .strong(d.state.rawValue), .text(" · rule "), .code(d.verdict.family),
        ]
        // Where the trace came from is secondary: it goes with the other secondary sections.
        if budget.extras { callLine.append(.text(" · trace: " + redact(origin))) } else { left.extras = true }
        out.append(.paragraph(callLine))
        if d.legs.count > 1 {
            if budget.extras {
                out.append(.paragraph([.strong("Legs:")]))
                out.append(.list(ordered: true, items: d.legs.map { leg in
                    let how = leg.tiedBy.map { "tied by " + redact($0) } ?? "first leg"
                    return [.code(leg.callID), .text(" (\(how), \(leg.messageCount) message\(leg.messageCount == 1 ? "" : "s"))")]
                }))
            } else {
                left.extras = true
            }
        }
        if let ff = d.firstFailure {
            out.append(.paragraph([.strong("First failure: #\(ff.messageIndex) " + prose(redact(ff.summary), budget, &left))]))
            out.append(.paragraph([.text(prose(redact(ff.explanation), budget, &left))]))
        } else {
            out.append(.paragraph([.strong("First failure: none in the signalling.")]))
        }
        if let ladder = ladderLines(d, budget, &left) { out.append(.preformatted(ladder)) }

        if !d.evidence.isEmpty {
            let shown = d.evidence.prefix(budget.evidence)
            left.evidence += d.evidence.count - shown.count
            if !shown.isEmpty {
                out.append(.paragraph([.strong("Evidence:")]))
                out.append(.list(ordered: false, items: shown.map { e in
                    let refs = e.messageIndices.isEmpty ? "" : " [" + e.messageIndices.map { "#\($0)" }.joined(separator: ", ") + "]"
                    return [.text(prose(redact(e.text) + refs, budget, &left))]
                }))
            }
        }
        if budget.extras {
            if let media = d.media {
                out.append(.paragraph([.strong("Media (RTP measured in the capture):")]))
                if !media.streams.isEmpty { out.append(.list(ordered: false, items: media.streams.map { [.text(redact(Self.streamLine($0)))] })) }
                out.append(.paragraph([.text(redact(media.note))]))
            }
            if let log = d.platformLog, !log.isEmpty {
                let shown = (log.filter(\.nearFirstFailure) + log.filter { !$0.nearFirstFailure }).prefix(20)
                out.append(.paragraph([.strong("Platform log (\(log.count) line\(log.count == 1 ? "" : "s") tied to this call):")]))
                out.append(.list(ordered: false, items: shown.map { [.text(prose(redact("[line \($0.line)] \($0.platform) \($0.level.uppercased()): \($0.text)"), budget, &left))] }
                    + (log.count > shown.count ? [[.text("... \(log.count - shown.count) more (agentctl diagnose --format json shows all)")]] : [])))
            }
        } else if d.media != nil || !(d.platformLog ?? []).isEmpty {
            left.extras = true
        }
        if !d.fixSteps.isEmpty {
            out.append(.paragraph([.strong("Suggested fix (try in this order):")]))
            out.append(.list(ordered: true, items: d.fixSteps.map { [.text(prose(redact($0), budget, &left))] }))
        }
        if budget.extras {
            if !d.limitations.isEmpty {
                out.append(.paragraph([.strong("Not shown by this trace:")]))
                out.append(.list(ordered: false, items: d.limitations.map { [.text(prose(redact($0), budget, &left))] }))
            }
            out.append(.paragraph([.strong("Confidence:"), .text(" " + d.confidence.level.rawValue + " - " + prose(redact(d.confidence.reason), budget, &left))]))
            if !d.otherFindings.isEmpty {
                out.append(.paragraph([.strong("Other findings:")]))
                out.append(.list(ordered: false, items: d.otherFindings.map { [.text(prose(redact($0.headline), budget, &left) + " "), .code($0.family)] }))
            }
            if !d.warnings.isEmpty {
                out.append(.paragraph([.strong("Warnings:")]))
                out.append(.list(ordered: false, items: d.warnings.map { [.text(prose(redact($0), budget, &left))] }))
            }
        } else if !d.limitations.isEmpty || !d.otherFindings.isEmpty || !d.warnings.isEmpty || !d.confidence.reason.isEmpty {
            left.extras = true
        }
        return out
    }

    /// The ladder with at most `budget.ladderRows` rows: the first ones,
    /// and when the first failure lies beyond them, the failure and the
    /// row before it after a gap line. nil when no row is left.
    func ladderLines(_ d: Diagnosis, _ budget: PostBudget, _ left: inout Left) -> [String]? {
        let rows = d.ladder
        guard !rows.isEmpty else { return nil }
        let k = min(budget.ladderRows, rows.count)
        left.ladderRows += rows.count - k
        guard k > 0 else { return nil }
        let failure = rows.firstIndex(where: \.isFirstFailure)
        var head: [LadderRow], tail: [LadderRow] = []
        var tailStart = 0
        if let f = failure, f >= k {
            let tailCount = min(2, k)
            head = Array(rows.prefix(k - tailCount))
            tailStart = f - tailCount + 1
            tail = Array(rows[tailStart...f])
        } else {
            head = Array(rows.prefix(k))
        }
        let kept = head + tail
        var lines = LadderLayout(participants: d.participants, rows: kept).lines()
        let headerCount = lines.count - kept.count
        if !tail.isEmpty, tailStart > head.count {
            let gap = tailStart - head.count
            lines.insert("   ... \(gap) row\(gap == 1 ? "" : "s") left out ...", at: headerCount + head.count)
        }
        let after = rows.count - (tail.isEmpty ? head.count : tailStart + tail.count)
        if after > 0 { lines.append("   ... \(after) more row\(after == 1 ? "" : "s") left out ...") }
        return lines.map(redact)
    }

    /// `PHONE -> CORE: PCMA, 1500 packets, 12 lost (0.8 %), jitter 2.1 / 9.0 ms, MOS 4.2 (estimate)`.
    static func streamLine(_ s: MediaStreamSummary) -> String {
        var parts = ["\(s.from) -> \(s.to): \(s.codec)", "\(s.packets) packets", "\(s.lost) lost (\(Figure.text(s.lossPercent)) %)"]
        if let mean = s.jitterMeanMs { parts.append("jitter \(Figure.text(mean)) / \(s.jitterMaxMs.map(Figure.text) ?? "-") ms") }
        parts.append("largest gap \(Figure.text(s.largestGapMs)) ms")
        parts.append("MOS \(Figure.text(s.mosEstimate)) (estimate)")
        return parts.joined(separator: ", ")
    }

    /// `s` cut to the budget's prose limit, with `...`.
    func prose(_ s: String, _ budget: PostBudget, _ left: inout Left) -> String {
        guard s.count > budget.proseLimit else { return s }
        left.cut = true
        return String(s.prefix(max(0, budget.proseLimit - 3))) + "..."
    }
}
