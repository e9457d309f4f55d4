import TraceFormats

/// The explanation as plain monospace text, in the order of domain brief
/// section 7: headline, first failure, ladder, evidence (with the measured
/// media of a capture after it), fix steps, what the trace could not show,
/// confidence; then other findings and warnings.
/// Every line fits in `width` columns (the ladder for up to four
/// participants; prose is wrapped).
public struct TextRenderer: Sendable {
    public var width: Int

    public init(width: Int = 100) {
        self.width = width
    }

    public func render(_ d: Diagnosis) -> String {
        var out: [String] = []
        out += TextWrap.wrap(Self.headline(d), width: width, rest: "  ")
        out += TextWrap.wrap(Self.callLine(d), width: width, rest: "  ")
        if d.legs.count > 1 {
            out.append("Legs:")
            for (k, leg) in d.legs.enumerated() {
                out += TextWrap.wrap(Self.legText(leg), width: width, first: "  \(k + 1). ", rest: "     ")
            }
        }

        out.append("")
        if let ff = d.firstFailure {
            out += TextWrap.wrap("#\(ff.messageIndex) \(ff.summary)", width: width, first: "First failure: ", rest: "  ")
            out += TextWrap.wrap(ff.explanation, width: width, first: "  ", rest: "  ")
        } else {
            out.append("First failure: none in the signalling.")
        }

        out.append("")
        out.append("Ladder:")
        out += LadderLayout(participants: d.participants, rows: d.ladder, maxWidth: width).lines()

        section("Evidence:", &out) {
            d.evidence.flatMap { TextWrap.wrap(Self.evidenceText($0), width: width, first: "  - ", rest: "    ") }
        }
        if let media = d.media {
            section("Media (RTP measured in the capture):", &out) { MediaTable(media: media, width: width).lines() }
        }
        if let log = d.platformLog {
            section("Platform log (\(log.count) line\(log.count == 1 ? "" : "s") tied to this call):", &out) {
                Self.shownLog(log).flatMap { TextWrap.wrap(Self.platformLogText($0), width: width, first: "  - ", rest: "    ") }
                    + (log.count > Self.logLinesShown ? ["  ... \(log.count - Self.logLinesShown) more (see --format json)"] : [])
            }
        }
        section("Suggested fix (try in this order):", &out) {
            d.fixSteps.enumerated().flatMap { k, step in
                TextWrap.wrap(step, width: width, first: "  \(k + 1). ", rest: "     ")
            }
        }
        section("Not shown by this trace:", &out) {
            d.limitations.flatMap { TextWrap.wrap($0, width: width, first: "  - ", rest: "    ") }
        }
        out.append("")
        out += TextWrap.wrap(d.confidence.reason, width: width, first: "Confidence: \(d.confidence.level.rawValue) - ", rest: "  ")
        section("Other findings:", &out) {
            d.otherFindings.flatMap { TextWrap.wrap("\($0.headline) (\($0.family))", width: width, first: "  - ", rest: "    ") }
        }
        section("Warnings:", &out) {
            d.warnings.flatMap { TextWrap.wrap($0, width: width, first: "  - ", rest: "    ") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Several calls, one after another, separated by a rule.
    public func render(_ all: [Diagnosis]) -> String {
        let rule = "\n" + String(repeating: "=", count: min(width, 72)) + "\n\n"
        return all.map(render).joined(separator: rule)
    }

    // MARK: - Pieces shared with the Markdown renderer

    /// `Call rejected: 488 codec mismatch -- responsible: caller's phone`.
    static func headline(_ d: Diagnosis) -> String {
        guard let side = d.verdict.responsibleSide, !side.isEmpty else { return d.verdict.headline }
        return "\(d.verdict.headline) -- responsible: \(side)"
    }

    static func callLine(_ d: Diagnosis) -> String {
        "Call-ID \(d.callID) | outcome: \(d.verdict.outcome.rawValue) | state: \(d.state.rawValue) | rule: \(d.verdict.family)"
    }

    static func legText(_ leg: LegInfo) -> String {
        let how = leg.tiedBy.map { "tied by \($0)" } ?? "first leg"
        return "\(leg.callID) (\(how), \(leg.messageCount) message\(leg.messageCount == 1 ? "" : "s"))"
    }

    /// `SDP offer lists G.722 only [#3, #7]`.
    static func evidenceText(_ e: Evidence) -> String {
        guard !e.messageIndices.isEmpty else { return e.text }
        return e.text + " [" + e.messageIndices.map { "#\($0)" }.joined(separator: ", ") + "]"
    }

    /// A console paste can tie hundreds of lines to one call: the ones
    /// next to the first failure come first, then the rest in order.
    static let logLinesShown = 20

    static func shownLog(_ log: [PlatformLogEntry]) -> [PlatformLogEntry] {
        Array((log.filter(\.nearFirstFailure) + log.filter { !$0.nearFirstFailure }).prefix(logLinesShown))
    }

    /// `line 38, after #2, next to the first failure: Asterisk NOTICE: text`.
    static func platformLogText(_ e: PlatformLogEntry) -> String {
        let name = PlatformLogLine.Platform(rawValue: e.platform)?.name ?? e.platform
        var place = "line \(e.line)"
        if e.afterMessage > 0 { place += ", after #\(e.afterMessage)" }
        if e.nearFirstFailure { place += ", next to the first failure" }
        place += ", tied by \(e.tiedBy)"
        return "[\(place)] \(name) \(e.level.uppercased()): \(e.text)"
    }

    /// Adds a titled section only when it has lines.
    private func section(_ title: String, _ out: inout [String], _ body: () -> [String]) {
        let lines = body()
        guard !lines.isEmpty else { return }
        out.append("")
        out.append(title)
        out += lines
    }
}
