import Foundation

/// The rooms the agent joined on an invite and has not yet read: the
/// first timeline of a newly joined room may hold the room's older
/// history, which nobody asked the agent about. Messages from before the
/// join (less a minute for clocks, and for the question asked right after
/// the invite) are left alone there.
actor MatrixRecentJoins {
    let grace: TimeInterval
    private var since: [String: Date] = [:]
    private var displayName: String??

    init(grace: Duration) {
        self.grace = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
    }

    func joined(_ roomID: String, at: Date) {
        since[roomID] = since[roomID] ?? at.addingTimeInterval(-grace)
    }

    /// The earliest message time to read in the room, once: a room's
    /// first timeline after the join is the only one with old history.
    func takeCutoff(_ roomID: String) -> Date? {
        since.removeValue(forKey: roomID)
    }

    /// The agent's display name, asked once (a mention may use it).
    func cachedDisplayName(_ fetch: @Sendable () async -> String?) async -> String? {
        if let displayName { return displayName }
        let fetched = await fetch()
        displayName = .some(fetched)
        return fetched
    }
}
