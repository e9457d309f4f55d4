/// How much of each finding a post shows. The renderer starts from
/// everything and tightens, in the order docs/annotations.md gives: the
/// ladder's rows, then the media, log and other secondary sections, then
/// the evidence, then long prose is cut, then whole calls are left out,
/// and last only the note and the marker remain. Headline, first failure,
/// fix and marker are never dropped while a call is shown.
struct PostBudget: Equatable {
    var ladderRows = Int.max
    var extras = true
    var evidence = Int.max
    var proseLimit = Int.max
    var findings = Int.max
    /// false: no finding at all, only the closing note and the marker.
    var bodies = true

    static let proseLimits = [600, 400, 280, 200, 140, 100, 70, 50, 36]

    /// Every budget from the most generous to the tightest.
    static func ladder(maxRows: Int, maxEvidence: Int, findings: Int) -> [PostBudget] {
        var out = [PostBudget()]
        var b = PostBudget()
        for k in stride(from: maxRows - 1, through: 0, by: -1) { b.ladderRows = k; out.append(b) }
        b.ladderRows = 0
        b.extras = false
        out.append(b)
        for e in stride(from: maxEvidence - 1, through: 0, by: -1) { b.evidence = e; out.append(b) }
        b.evidence = 0
        for p in proseLimits { b.proseLimit = p; out.append(b) }
        for f in stride(from: findings - 1, through: 1, by: -1) { b.findings = f; out.append(b) }
        b.bodies = false
        out.append(b)
        return out
    }
}
