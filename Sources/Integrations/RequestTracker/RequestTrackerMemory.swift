import Foundation

/// What one RT back-end remembers between polls: the agent user's
/// timezone (asked once) and the bodies it has decoded (an attachment
/// never changes, so a ticket polled again costs its history and its
/// attachment list, not every body again). Bounded: the oldest bodies go
/// first.
actor RequestTrackerMemory {
    static let maxBodies = 2_000

    private(set) var zone: TimeZone?
    private var bodies: [Int: String] = [:]
    private var order: [Int] = []

    func setZone(_ zone: TimeZone) { self.zone = zone }

    func body(_ attachment: Int) -> String? { bodies[attachment] }

    func remember(body: String, of attachment: Int) {
        guard bodies[attachment] == nil else { return }
        bodies[attachment] = body
        order.append(attachment)
        if order.count > Self.maxBodies {
            let dropped = order.count - Self.maxBodies
            for old in order.prefix(dropped) { bodies[old] = nil }
            order.removeFirst(dropped)
        }
    }
}
