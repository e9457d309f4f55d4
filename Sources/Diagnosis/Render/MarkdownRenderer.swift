/// The explanation as Markdown for tickets and chat: the same content and
/// order as `TextRenderer`, with the ladder kept monospace in a fenced
/// code block (the only way chat and ticket systems keep its columns).
public struct MarkdownRenderer: Sendable {
    public var ladderWidth: Int

    public init(ladderWidth: Int = 100) {
        self.ladderWidth = ladderWidth
    }

    public func render(_ d: Diagnosis) -> String {
        var out: [String] = []
        out.append("### " + Self.inline(TextRenderer.headline(d)))
        out.append("")
        out.append("Call-ID `\(d.callID)` · outcome **\(d.verdict.outcome.rawValue)** · state **\(d.state.rawValue)** · rule `\(d.verdict.family)`")
        if d.legs.count > 1 {
            out.append("")
            out.append("Legs:")
            for (k, leg) in d.legs.enumerated() {
                let how = leg.tiedBy.map { "tied by \(Self.inline($0))" } ?? "first leg"
                out.append("\(k + 1). `\(leg.callID)` (\(how), \(leg.messageCount) message\(leg.messageCount == 1 ? "" : "s"))")
            }
        }
        out.append("")
        if let ff = d.firstFailure {
            out.append("**First failure: #\(ff.messageIndex) \(Self.inline(ff.summary))**")
            out.append("")
            out.append(Self.inline(ff.explanation))
        } else {
            out.append("**First failure: none in the signalling.**")
        }
        out.append("")
        out.append("```")
        out += LadderLayout(participants: d.participants, rows: d.ladder, maxWidth: ladderWidth).lines()
        out.append("```")

        section("Evidence", &out) { d.evidence.map { "- " + Self.inline(TextRenderer.evidenceText($0)) } }
        if let media = d.media {
            out.append("")
            out.append("**Media (RTP measured in the capture):**")
            out.append("")
            out += Self.mediaTable(media)
        }
        if let log = d.platformLog {
            section("Platform log (\(log.count) line\(log.count == 1 ? "" : "s") tied to this call)", &out) {
                TextRenderer.shownLog(log).map { "- " + Self.inline(TextRenderer.platformLogText($0)) }
                    + (log.count > TextRenderer.logLinesShown ? ["- ... \(log.count - TextRenderer.logLinesShown) more (see the JSON output)"] : [])
            }
        }
        section("Suggested fix (try in this order)", &out) {
            d.fixSteps.enumerated().map { "\($0 + 1). " + Self.inline($1) }
        }
        section("Not shown by this trace", &out) { d.limitations.map { "- " + Self.inline($0) } }
        out.append("")
        out.append("**Confidence:** \(d.confidence.level.rawValue) - \(Self.inline(d.confidence.reason))")
        section("Other findings", &out) { d.otherFindings.map { "- \(Self.inline($0.headline)) (`\($0.family)`)" } }
        section("Warnings", &out) { d.warnings.map { "- " + Self.inline($0) } }
        return out.joined(separator: "\n") + "\n"
    }

    /// Several calls, separated by a horizontal rule.
    public func render(_ all: [Diagnosis]) -> String {
        all.map(render).joined(separator: "\n---\n\n")
    }

    /// One table row per stream; the MOS column says it is an estimate.
    static func mediaTable(_ m: MediaSummary) -> [String] {
        var out: [String] = []
        if !m.streams.isEmpty {
            out.append("| From → To | Codec | Packets | Lost | Loss % | Jitter mean / max ms | Largest gap ms | Duration s | MOS (estimate) | Addresses |")
            out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|---|")
            for s in m.streams {
                let jitter = s.jitterMeanMs.map { mean in "\(Figure.text(mean)) / \(s.jitterMaxMs.map(Figure.text) ?? "-")" } ?? "-"
                let cells = ["\(s.from) → \(s.to)", s.codec, String(s.packets), String(s.lost), Figure.text(s.lossPercent), jitter,
                             Figure.text(s.largestGapMs), Figure.text(s.durationSeconds), Figure.text(s.mosEstimate), MediaTable.details(s)]
                out.append("| " + cells.map(inline).joined(separator: " | ") + " |")
            }
            out.append("")
        }
        out.append(inline(m.note))
        return out
    }

    /// Prose from the trace can hold characters Markdown would act on
    /// (`<sip:...>` looks like HTML, `*` like emphasis); escape them so
    /// the ticket shows what the trace said.
    static func inline(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "\n": out.append(" ")
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "*", "_", "`", "|": out.append("\\"); out.append(c)
            default: out.append(c)
            }
        }
        return out
    }

    private func section(_ title: String, _ out: inout [String], _ body: () -> [String]) {
        let lines = body()
        guard !lines.isEmpty else { return }
        out.append("")
        out.append("**\(title):**")
        out.append("")
        out += lines
    }
}
