/// One `/sync` answer, reduced to what the agent reads: the token to
/// resume from, the rooms it is invited to, and each joined room's new
/// timeline (with whether the server left a gap before it).
struct MatrixSyncBatch {
    struct Timeline {
        var roomID: String
        /// Raw events, oldest first.
        var events: [[String: Any]]
        /// The server sent only the latest events: older ones since the
        /// last sync are reachable backwards from `previousBatch`.
        var limited: Bool
        var previousBatch: String?
    }

    var nextBatch: String
    var invitedRoomIDs: [String]
    var timelines: [Timeline]

    /// Nil when it is not a sync answer (no `next_batch`).
    init?(json object: [String: Any]) {
        guard let next = object["next_batch"] as? String, !next.isEmpty else { return nil }
        nextBatch = next
        let rooms = object["rooms"] as? [String: Any] ?? [:]
        invitedRoomIDs = (rooms["invite"] as? [String: Any] ?? [:]).keys.sorted()
        let joined = rooms["join"] as? [String: Any] ?? [:]
        timelines = joined.keys.sorted().compactMap { roomID in
            guard let room = joined[roomID] as? [String: Any], let timeline = room["timeline"] as? [String: Any] else { return nil }
            return Timeline(roomID: roomID, events: timeline["events"] as? [[String: Any]] ?? [],
                            limited: timeline["limited"] as? Bool ?? false, previousBatch: timeline["prev_batch"] as? String)
        }
    }
}
