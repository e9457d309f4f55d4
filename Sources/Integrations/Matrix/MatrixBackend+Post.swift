import Annotation
import Foundation

extension MatrixBackend {
    /// The most pages of a thread `findPost` reads (100 events each),
    /// newest first: far more than a thread's agent posts.
    static let threadPages = 20

    public func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
        try await send(post, in: thread, idempotencyKey: idempotencyKey)
    }

    /// `post` with its error typed: `PUT /rooms/{room}/send/m.room.message/{txnId}`
    /// with the idempotency key as the transaction id, an `m.notice` in
    /// the thread (replying, as a fallback for clients without threads,
    /// to the newest message the agent read there). Works from `thread.id`
    /// alone. The same key on the same device gives back the first
    /// event: Synapse keeps it 30 to 60 minutes in memory and a day in its
    /// database, so a retried post lands once.
    public func send(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws(MatrixError) -> String {
        guard let target = MatrixThreadID(thread.id) else { throw .badThreadID(thread.id) }
        guard !idempotencyKey.isEmpty, idempotencyKey.utf8.count <= 255 else {
            throw .badSettings(reason: "the idempotency key (the Matrix transaction id) must be 1 to 255 bytes, not \(idempotencyKey.utf8.count)")
        }
        let replyTo = thread.texts.last(where: { $0.id.hasPrefix("$") })?.id ?? target.rootEventID
        let label = "/_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}"
        let path = "/_matrix/client/v3/rooms/\(MatrixJSON.segment(target.roomID))/send/m.room.message/\(MatrixJSON.segment(idempotencyKey))"
        var answer = try await session.send("PUT", path, json: Self.content(post, in: target, replyTo: replyTo, threaded: true), label: label)
        // A message that carries a relation itself cannot root a thread
        // (Synapse: "Cannot start threads from an event with a relation");
        // then the answer is a plain reply to it. Errors are not kept
        // with the transaction id, so the same id is right for the retry.
        if answer.status == 400, answer.message.localizedCaseInsensitiveContains("thread") {
            answer = try await session.send("PUT", path, json: Self.content(post, in: target, replyTo: target.rootEventID, threaded: false),
                                            label: label)
        }
        guard answer.status == 200 else { throw answer.failure(server: server, path: label) }
        guard let eventID = answer.object?["event_id"] as? String, !eventID.isEmpty else {
            throw .unexpectedAnswer(server: server, path: label, detail: answer.response.sketch)
        }
        return eventID
    }

    /// The event content: `m.notice` (bots' messages, which no bot
    /// answers), the plain body always, the HTML body when there is one,
    /// and an empty `m.mentions` so that nothing quoted in the post pings
    /// anyone.
    static func content(_ post: RenderedPost, in target: MatrixThreadID, replyTo: String, threaded: Bool) -> [UInt8] {
        var content: [String: Any] = ["msgtype": "m.notice", "body": post.plain, "m.mentions": [String: Any]()]
        if let formatted = post.formatted, post.markup == .html {
            content["format"] = "org.matrix.custom.html"
            content["formatted_body"] = formatted
        }
        if threaded {
            content["m.relates_to"] = [
                "rel_type": "m.thread", "event_id": target.rootEventID,
                "is_falling_back": true, "m.in_reply_to": ["event_id": replyTo],
            ] as [String: Any]
        } else {
            content["m.relates_to"] = ["m.in_reply_to": ["event_id": replyTo]]
        }
        return Array(jsonText(content).utf8)
    }

    public func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
        try await find(marker: marker, in: thread)
    }

    /// `findPost` with its error typed: the agent's own events in the
    /// thread (the relations API, newest first) whose plain or HTML body
    /// carries `marker`. Read from the server, not from the transaction
    /// memory, so a post older than Synapse's transaction cache is still
    /// found. A thread root the server cannot find (404) holds no post.
    public func find(marker: String, in thread: ConversationThread) async throws(MatrixError) -> String? {
        guard let target = MatrixThreadID(thread.id) else { throw .badThreadID(thread.id) }
        guard !marker.isEmpty else { return nil }
        let me = try await session.userID()
        let label = "/_matrix/client/v1/rooms/{room}/relations/{root}/m.thread"
        let base = "/_matrix/client/v1/rooms/\(MatrixJSON.segment(target.roomID))/relations/\(MatrixJSON.segment(target.rootEventID))/m.thread?dir=b&limit=100"
        var from: String?
        for _ in 0..<Self.threadPages {
            let answer = try await session.send("GET", base + (from.map { "&from=" + MatrixJSON.query($0) } ?? ""), label: label)
            if answer.status == 404 { return nil }
            guard answer.status == 200, let object = answer.object else { throw answer.failure(server: server, path: label) }
            for event in object["chunk"] as? [[String: Any]] ?? [] where event["sender"] as? String == me {
                guard let content = event["content"] as? [String: Any], let id = event["event_id"] as? String else { continue }
                let bodies = [content["body"], content["formatted_body"]].compactMap { $0 as? String }
                if bodies.contains(where: { Self.carries($0, marker: marker) }) { return id }
            }
            guard let next = object["next_batch"] as? String, !next.isEmpty else { return nil }
            from = next
        }
        return nil
    }

    static func carries(_ text: String, marker: String) -> Bool {
        AnnotationMarker.text(text, carries: marker)
    }
}
