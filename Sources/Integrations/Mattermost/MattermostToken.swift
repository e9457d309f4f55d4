/// The outgoing webhook's token compared without leaking, through timing,
/// how much of a guess was right: every byte is looked at whatever the
/// first difference, and a length mismatch costs the same loop.
enum MattermostToken {
    static func matches(_ given: String, expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
        for i in 0..<b.count {
            difference |= (i < a.count ? a[i] : 0) ^ b[i]
        }
        return difference == 0 && !b.isEmpty
    }
}
