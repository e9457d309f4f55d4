import Diagnosis

/// Writes the findings of one ticket or message as a post in a back-end's
/// style: per call its headline, first failure, ladder, evidence and fix
/// (or why there is none: no trace, an unreadable trace, sources down);
/// every piece of text from a trace redacted; within the back-end's limit;
/// the marker last.
///
/// Both bodies (plain, and the formatted one when the style has markup)
/// fit `style.maxCharacters`, counted in UTF-8 bytes, which are never fewer
/// than characters, so a post fits whichever a back-end counts. Beyond the
/// limit the post is shortened in the order `PostBudget` gives, and a note
/// says what was left out and how to see all (`agentctl replay THREAD`).
/// Any limit of at least `minimumCharacters` is honoured; below it the post
/// is the marker alone. See docs/annotations.md.
public struct AnnotationRenderer: Sendable {
    public var redactor: Redactor

    /// The smallest limit a post is guaranteed to fit with a note; RT and
    /// Matrix take far more (Matrix events up to 65,536 bytes).
    public static let minimumCharacters = 1_000

    public init(redactor: Redactor) {
        self.redactor = redactor
    }

    public func render(_ findings: [CallFinding], marker: AnnotationMarker, style: PostStyle) -> RenderedPost {
        let replay = Self.replayCommand(marker)
        let keep = Self.protected(findings, marker: marker, replay: replay)
        let redactor = self.redactor
        let documents = findings.map { finding in
            FindingDocument(finding: finding, redact: { redactor.redact($0, keeping: keep) }, replay: replay)
        }
        let maxRows = findings.map(\.ladderRowCount).max() ?? 0
        let maxEvidence = findings.map(\.evidenceCount).max() ?? 0
        let budgets = PostBudget.ladder(maxRows: maxRows, maxEvidence: maxEvidence, findings: findings.count)

        func post(_ budget: PostBudget) -> RenderedPost {
            let document = Self.document(documents, budget: budget, marker: marker, replay: replay)
            let plain = PlainPostWriter().write(document)
            let formatted = style.markup == .plain ? nil : style.markup.writer.write(document)
            return RenderedPost(plain: plain, formatted: formatted, markup: style.markup, marker: marker.text)
        }
        func fits(_ p: RenderedPost) -> Bool {
            p.plain.utf8.count <= style.maxCharacters && (p.formatted?.utf8.count ?? 0) <= style.maxCharacters
        }

        let full = post(budgets[0])
        if fits(full) { return full }
        // Budgets tighten monotonically, so the first that fits is found by
        // bisection; a step that does not shrink the post is checked linearly.
        var lo = 1, hi = budgets.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if fits(post(budgets[mid])) { hi = mid } else { lo = mid + 1 }
        }
        for k in lo..<budgets.count {
            let p = post(budgets[k])
            if fits(p) { return p }
        }
        return RenderedPost(plain: marker.text + "\n", formatted: style.markup == .plain ? nil : Self.markerOnly(marker, style.markup),
                            markup: style.markup, marker: marker.text)
    }

    static func markerOnly(_ marker: AnnotationMarker, _ markup: TextMarkup) -> String {
        markup.writer.write(PostDocument(blocks: [.paragraph([.code(marker.text)])]))
    }

    static func document(_ findings: [FindingDocument], budget: PostBudget, marker: AnnotationMarker, replay: String) -> PostDocument {
        var doc = PostDocument()
        var left = FindingDocument.Left()
        let shown = budget.bodies ? min(budget.findings, findings.count) : 0
        for (k, finding) in findings.prefix(shown).enumerated() {
            if k > 0 { doc.blocks.append(.rule) }
            doc.blocks += finding.blocks(budget, left: &left)
        }
        var parts: [String] = []
        if left.ladderRows > 0 { parts.append("\(left.ladderRows) ladder row\(left.ladderRows == 1 ? "" : "s")") }
        if left.extras { parts.append("the secondary sections (trace origin, legs, media, platform log, limits, confidence, other findings, warnings)") }
        if left.evidence > 0 { parts.append("\(left.evidence) evidence line\(left.evidence == 1 ? "" : "s")") }
        if left.cut { parts.append("the end of long lines") }
        if findings.count > shown {
            let n = findings.count - shown
            parts.append("\(n) call\(n == 1 ? "" : "s") (" + findings.suffix(n).map(\.finding.callID).prefix(3).joined(separator: ", ")
                + (n > 3 ? ", ..." : "") + ")")
        }
        if !parts.isEmpty {
            if !doc.blocks.isEmpty { doc.blocks.append(.rule) }
            doc.blocks.append(.paragraph([.text("Shortened to fit this channel: left out " + parts.joined(separator: "; ")
                + ". To see all of it: "), .code(replay)]))
        }
        doc.blocks.append(.paragraph([.text("SIP diagnosis agent · "), .code(marker.text)]))
        return doc
    }

    /// `agentctl replay THREAD --backend NAME`, the thread quoted for a
    /// shell when it needs it (a Matrix thread id holds `!` and `$`).
    static func replayCommand(_ marker: AnnotationMarker) -> String {
        var command = "agentctl replay " + shellQuoted(marker.thread ?? "THREAD")
        if let backend = marker.backend { command += " --backend " + shellQuoted(backend) }
        return command
    }

    static func shellQuoted(_ s: String) -> String {
        let safe = s.utf8.allSatisfy { ByteClass.isAlnum($0) || "-_.:/@+=,".utf8.contains($0) }
        return safe && !s.isEmpty ? s : "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// What redaction must leave alone: every Call-ID the post names, the
    /// marker, the replay hint.
    static func protected(_ findings: [CallFinding], marker: AnnotationMarker, replay: String) -> Set<String> {
        var keep: Set<String> = [marker.text, marker.id, replay, replay + " --refetch --post"]
        for f in findings {
            keep.insert(f.callID)
            if case .diagnosed(let d, _) = f.outcome {
                keep.insert(d.callID)
                for leg in d.legs { keep.insert(leg.callID) }
                if let ff = d.firstFailure { keep.insert(ff.callID) }
                for row in d.ladder { keep.insert(row.callID) }
            }
        }
        return keep
    }
}

extension CallFinding {
    var ladderRowCount: Int {
        if case .diagnosed(let d, _) = outcome { return d.ladder.count }
        return 0
    }

    var evidenceCount: Int {
        if case .diagnosed(let d, _) = outcome { return d.evidence.count }
        return 0
    }
}
