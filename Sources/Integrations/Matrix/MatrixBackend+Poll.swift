import Annotation
import Foundation

extension MatrixBackend {
    /// The most events one room's timeline carries per sync; beyond it the
    /// gap is read with `/messages` (at most `gapPages` pages of it).
    static let timelineLimit = 100
    static let gapPages = 10
    /// The longest wait asked of the server in one `/sync`: the server
    /// sends nothing while it waits, and the HTTP client abandons a
    /// transfer that moved nothing for its stall window (30 s by default),
    /// so a longer `syncTimeout` would fail every quiet poll.
    static let longestServerWait = Duration.seconds(25)

    /// One `/sync`: the first ever (no cursor) only records where "now"
    /// is and joins pending invites, so that the agent never answers the
    /// history it finds on its first start; later ones long-poll for up
    /// to `syncTimeout` and return the messages for the agent, one thread
    /// per thread root, with `next_batch` as the cursor.
    public func poll(after cursor: String?) async throws -> ConversationPoll {
        try await sync(after: cursor)
    }

    /// `poll` with its error typed.
    public func sync(after cursor: String?) async throws(MatrixError) -> ConversationPoll {
        let me = try await session.userID()
        // The first sync's timeline is not read: one event per room is enough to get the token.
        let filter = Self.syncFilter(me: me, timelineLimit: cursor == nil ? 1 : Self.timelineLimit)
        var path = "/_matrix/client/v3/sync?set_presence=offline&filter=" + MatrixJSON.query(filter)
        if let cursor {
            let wait = min(settings.syncTimeout, Self.longestServerWait)
            path += "&since=" + MatrixJSON.query(cursor) + "&timeout=\(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)"
        } else {
            path += "&timeout=0"
        }
        let answer = try await session.send("GET", path)
        guard answer.status == 200 else { throw answer.failure(server: server, path: "/_matrix/client/v3/sync") }
        guard let object = answer.object, let batch = MatrixSyncBatch(json: object) else {
            throw .unexpectedAnswer(server: server, path: "/_matrix/client/v3/sync", detail: answer.response.sketch)
        }
        if settings.joinOnInvite {
            for roomID in batch.invitedRoomIDs { try await join(roomID) }
        }
        guard let cursor else { return ConversationPoll(threads: [], cursor: batch.nextBatch) }

        let seenAt = Date()
        let displayName = await joins.cachedDisplayName { await self.displayName(of: me) }
        var messages: [MatrixMessage] = []
        for timeline in batch.timelines {
            var events = timeline.events
            if timeline.limited, let from = timeline.previousBatch {
                events = try await gap(in: timeline.roomID, from: from, to: cursor, me: me) + events
            }
            // Joined here on an invite, or (the invite taken by another
            // device of the agent's user, another agent process) a room
            // whose timeline carries the user's own join: older history
            // in it is not for the agent either.
            let cutoff = await joins.takeCutoff(timeline.roomID)
                ?? Self.ownJoin(in: events, me: me).map { $0.addingTimeInterval(-joins.grace) }
            for event in events {
                guard let message = MatrixMessage(event: event, roomID: timeline.roomID),
                      message.skipReason(me: me) == nil else { continue }
                if let cutoff, let at = message.at, at < cutoff { continue }
                if settings.respondTo == .mentions, !message.mentions(userID: me, displayName: displayName) { continue }
                messages.append(message)
            }
        }
        return ConversationPoll(threads: Self.threads(messages, seenAt: seenAt), cursor: batch.nextBatch)
    }

    /// When `me` joined, if `events` hold that join (a membership event
    /// that makes `me` a member, not a display-name change of a member).
    static func ownJoin(in events: [[String: Any]], me: String) -> Date? {
        for event in events where event["type"] as? String == "m.room.member" && event["state_key"] as? String == me {
            guard (event["content"] as? [String: Any])?["membership"] as? String == "join" else { continue }
            let before = ((event["unsigned"] as? [String: Any])?["prev_content"] as? [String: Any])?["membership"] as? String
            guard before != "join", let ms = (event["origin_server_ts"] as? NSNumber)?.doubleValue else { continue }
            return Date(timeIntervalSince1970: ms / 1000)
        }
        return nil
    }

    /// The messages grouped by where the agent answers them, in the order
    /// their first message came.
    static func threads(_ messages: [MatrixMessage], seenAt: Date) -> [ConversationThread] {
        var order: [MatrixThreadID] = []
        var texts: [MatrixThreadID: [ConversationText]] = [:]
        for message in messages {
            let thread = message.thread
            if texts[thread] == nil { order.append(thread) }
            texts[thread, default: []].append(message.text)
        }
        return order.map { ConversationThread(id: $0.description, title: nil, texts: texts[$0] ?? [], seenAt: seenAt) }
    }

    /// Only room messages, never the agent's own, and nothing else the
    /// sync could carry (presence, account data, receipts, typing).
    static func syncFilter(me: String, timelineLimit: Int = timelineLimit) -> String {
        let none: [String: Any] = ["types": [String]()]
        let filter: [String: Any] = [
            "room": [
                "timeline": ["limit": timelineLimit, "types": ["m.room.message"], "not_senders": [me]],
                "state": ["lazy_load_members": true, "types": [String]()],
                "ephemeral": none, "account_data": none,
            ],
            "presence": none, "account_data": none,
        ]
        return jsonText(filter)
    }

    static func jsonText(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// `POST /join/{room}`. An invite withdrawn or a room gone (403, 404)
    /// is not the agent's failure: the next sync no longer lists it.
    private func join(_ roomID: String) async throws(MatrixError) {
        let path = "/_matrix/client/v3/join/" + MatrixJSON.segment(roomID)
        let answer = try await session.send("POST", path, json: Array("{}".utf8), idempotent: true,
                                            label: "/_matrix/client/v3/join/{room}")
        switch answer.status {
        case 200: await joins.joined(roomID, at: Date())
        case 403, 404: return
        default: throw answer.failure(server: server, path: "/_matrix/client/v3/join/" + roomID)
        }
    }

    /// The events the sync left out of a limited timeline, back from its
    /// `prev_batch` to the previous sync's token, oldest first; at most
    /// `gapPages` pages, after which older ones are given up (the agent
    /// was away long enough that the room moved on).
    private func gap(in roomID: String, from: String, to: String, me: String) async throws(MatrixError) -> [[String: Any]] {
        let filter = Self.jsonText(["types": ["m.room.message"], "not_senders": [me]] as [String: Any])
        var events: [[String: Any]] = []
        var token = from
        for _ in 0..<Self.gapPages {
            let path = "/_matrix/client/v3/rooms/\(MatrixJSON.segment(roomID))/messages?dir=b&limit=\(Self.timelineLimit)"
                + "&from=\(MatrixJSON.query(token))&to=\(MatrixJSON.query(to))&filter=\(MatrixJSON.query(filter))"
            let answer = try await session.send("GET", path, label: "/_matrix/client/v3/rooms/{room}/messages")
            guard answer.status == 200, let object = answer.object else {
                throw answer.failure(server: server, path: "/_matrix/client/v3/rooms/\(roomID)/messages")
            }
            let chunk = object["chunk"] as? [[String: Any]] ?? []
            events = chunk.reversed() + events
            guard let end = object["end"] as? String, !chunk.isEmpty, end != token else { break }
            token = end
        }
        return events
    }

    /// The agent's display name, for mentions by name; nil when it has
    /// none or the profile cannot be read (mentions by id still work).
    private func displayName(of me: String) async -> String? {
        let path = "/_matrix/client/v3/profile/\(MatrixJSON.segment(me))/displayname"
        guard let answer = try? await session.send("GET", path, label: "/_matrix/client/v3/profile/{user}/displayname"),
              answer.status == 200 else { return nil }
        return answer.object?["displayname"] as? String
    }
}
