/// The decoder's bookkeeping: frame counts and the tally of issues.
///
/// Issues are keyed by a small enum, so noting one that was seen before
/// costs a hash lookup and no allocation; the text is made only when the
/// warnings are read. The number of distinct issues is bounded: past
/// `maxKinds` they all fall into one `.other` line.
struct PacketLog {
    private struct Tally {
        var issue: PacketIssue
        var count: Int
        var firstFrame: Int
    }

    var counts = PacketCounts()
    private let maxKinds: Int
    private var position: [PacketIssue: Int] = [:]
    private var tallies: [Tally] = []

    init(maxKinds: Int) {
        self.maxKinds = max(1, maxKinds)
    }

    mutating func note(_ issue: PacketIssue, frame: Int, count: Int = 1) {
        guard count > 0 else { return }
        if let i = position[issue] {
            tallies[i].count += count
            return
        }
        let key = tallies.count < maxKinds ? issue : .other
        if let i = position[key] {
            tallies[i].count += count
            return
        }
        position[key] = tallies.count
        tallies.append(Tally(issue: key, count: count, firstFrame: frame))
    }

    func count(of issue: PacketIssue) -> Int {
        position[issue].map { tallies[$0].count } ?? 0
    }

    func lines(limits: PacketDecoder.Limits) -> [String] {
        tallies.map { $0.issue.text(count: $0.count, firstFrame: $0.firstFrame, limits: limits) }
    }
}
