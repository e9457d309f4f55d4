/// The needles of a filtered read searched for in a whole chunk of text,
/// once, rather than in every message: the next hit of each needle is
/// remembered, and a message is a candidate only if one starts inside it.
///
/// A hit in the chunk is confirmed by the bytes around it as in a message
/// (`CallFilter.contains`); at a message's edges the chunk has a line end
/// where the message has nothing, which confirms a whole value and refuses
/// a local part just as the message's end does. So every hit a message
/// holds is a hit in the chunk: a message with none is no candidate. One
/// with a hit is only a candidate, looked at by the filter itself.
struct NeedleHits {
    /// The next hit of each needle at or after the last range asked
    /// about, Int.max for none, -1 before a first search. Needles only
    /// grow (`CallFilter.learn` appends), so a new one is searched for from
    /// where it is first asked about.
    private var next: [Int] = []

    /// Whether a needle of `filter` (other than a Call-ID its local part
    /// answers for) starts in `range` of `buf`. Ranges must be asked in
    /// increasing order, in the same buffer.
    mutating func any(_ buf: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ filter: CallFilter) -> Bool {
        let needles = filter.needles
        while next.count < needles.count { next.append(-1) }
        for k in needles.indices where !needles[k].coveredByLocalPart {
            if next[k] < range.lowerBound {
                next[k] = CallFilter.firstHit(buf, needles[k], from: range.lowerBound) ?? Int.max
            }
            if next[k] < range.upperBound { return true }
        }
        return false
    }
}
