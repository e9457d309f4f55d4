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

/// Finds the Call-IDs in free text. SEAM: owned by the annotation piece,
/// which replaces this body; the signature is what the agent calls.
public struct CallIDExtractor: Sendable {
    public init() {}

    /// Candidates in the order they first appear, each Call-ID once (marked
    /// if any of its mentions was).
    public func candidates(in text: String, markup: TextMarkup) -> [CallIDCandidate] {
        []
    }
}
