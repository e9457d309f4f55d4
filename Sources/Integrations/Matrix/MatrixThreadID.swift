/// Where the agent answers in Matrix: a room and the root of a thread in
/// it, written as one string "!room:server $root" (the ledger's key and
/// the marker's input). Everything a post needs is in it, so that after a
/// restart, when the agent holds only the ledger's thread id and no
/// message, it can still post and look for its earlier post.
public struct MatrixThreadID: Sendable, Hashable, CustomStringConvertible {
    public var roomID: String
    /// The thread's root event: the message's own thread root when it was
    /// written in a thread, else the message itself.
    public var rootEventID: String

    public init(roomID: String, rootEventID: String) {
        self.roomID = roomID
        self.rootEventID = rootEventID
    }

    /// Nil unless `id` is a room id ("!…") and an event id ("$…")
    /// separated by one space, neither holding a space or a control
    /// character (Matrix ids never do).
    public init?(_ id: String) {
        let parts = id.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let room = String(parts[0]), event = String(parts[1])
        guard room.count > 1, room.hasPrefix("!"), event.count > 1, event.hasPrefix("$"),
              !(room + event).unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else { return nil }
        roomID = room
        rootEventID = event
    }

    public var description: String { "\(roomID) \(rootEventID)" }
}
