/// A Call-ID found in someone's text, and whether the text said it was one
/// (a `Call-ID:` line, `callid=`, a Homer link): a marked candidate no
/// source knows is answered "no trace found"; an unmarked one (a bare
/// token, a UUID) is dropped quietly.
public struct CallIDCandidate: Sendable, Hashable {
    public var callID: String
    public var marked: Bool

    public init(callID: String, marked: Bool) {
        self.callID = callID
        self.marked = marked
    }
}

/// Finds the Call-IDs in free text: tickets and chat as people write them,
/// with signatures, quoted replies, HTML mail and code blocks.
///
/// Marked (the text says it is a Call-ID): `Call-ID:` and compact `i:`
/// lines, `callid=` / `call_id:` / "Call ID is …" phrases (a list after
/// them too), links that carry one (Homer, a portal's call page). Unmarked:
/// bare `local@host` tokens that are not e-mail addresses or SIP URIs,
/// UUIDs, long hex ids, and machine-looking tokens someone quoted or put
/// in code. In a signature and on mail header lines only marked ones count.
/// A quote of the agent's own post (a reply's fallback quote, a quoted
/// mail) is not read: its Call-IDs are the agent's, not the writer's.
/// One pass over the text, no backtracking: hostile input (a megabyte of
/// `@`, markup nested thousands deep) costs its length. The rules and why
/// are in docs/annotations.md.
public struct CallIDExtractor: Sendable {
    /// At most this many candidates per text; marked ones are kept first.
    public var maxCandidates: Int

    public init() {
        self.maxCandidates = 50
    }

    public init(maxCandidates: Int) {
        self.maxCandidates = max(1, maxCandidates)
    }

    /// Candidates in the order they first appear, each Call-ID once (marked
    /// if any of its mentions was).
    public func candidates(in text: String, markup: TextMarkup) -> [CallIDCandidate] {
        let bytes = Array(text.utf8)
        let lines: [TextLine]
        switch markup {
        case .html: lines = HTMLText.lines(bytes)
        case .markdown: lines = PlainText.lines(bytes, markdown: true)
        case .plain: lines = PlainText.lines(bytes, markdown: false)
        }
        var found = Found(limit: maxCandidates * 20)
        var context = LineContext()
        var pending = false
        for line in AgentQuotes.removed(from: lines) {
            switch line.kind {
            case .signatureStart: context.signatureStarts(); continue
            case .quoteStart: context.quoteStarts(); pending = false; continue
            case .text: break
            }
            var scan = LineScan(line: line)
            scan.scan(context: &context, pending: &pending, into: &found)
            if found.isFull { break }
        }
        return found.selected(maxCandidates)
    }
}

/// The candidates seen so far: first mention's order, marked if any mention was.
struct Found {
    var order: [String] = []
    var marked: [String: Bool] = [:]
    let limit: Int

    var isFull: Bool { order.count >= limit }

    mutating func add(_ bytes: [UInt8], marked isMarked: Bool) {
        guard CallIDShape.isPlausible(bytes) else { return }
        let id = String(decoding: bytes, as: UTF8.self)
        if let was = marked[id] {
            if isMarked && !was { marked[id] = true }
            return
        }
        guard !isFull else { return }
        order.append(id)
        marked[id] = isMarked
    }

    func selected(_ max: Int) -> [CallIDCandidate] {
        var all = order.map { CallIDCandidate(callID: $0, marked: marked[$0] ?? false) }
        guard all.count > max else { return all }
        let keep = Set((all.filter(\.marked) + all.filter { !$0.marked }).prefix(max).map(\.callID))
        all.removeAll { !keep.contains($0.callID) }
        return all
    }
}
