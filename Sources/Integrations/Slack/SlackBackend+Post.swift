import Annotation
import Foundation

extension SlackBackend {
    /// The most pages of a thread `findPost` reads (200 messages each).
    static let threadPages = 25

    /// In a channel's thread: `chat.postMessage` with `thread_ts`; for a
    /// slash command: the answer POSTed to its response_url. Returns the
    /// message's `ts` (a command's answer has none: its trigger id).
    public func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
        guard let target = SlackThreadID(thread.id) else { throw SlackError.badThreadID(thread.id) }
        var payload = SlackMessage(post).json
        switch target {
        case .thread(let channel, let ts):
            payload["channel"] = channel
            payload["thread_ts"] = ts
            payload["unfurl_links"] = false
            payload["unfurl_media"] = false
            let answer = try await api.call("chat.postMessage", json: payload, context: channel)
            guard let posted = answer["ts"] as? String, !posted.isEmpty else {
                throw SlackError.unexpectedAnswer(method: "chat.postMessage", detail: "an ok answer without ts")
            }
            return posted
        case .command(_, let trigger):
            guard let url = thread.replyTo, Self.isResponseURL(url) else {
                throw SlackError.badSettings(reason: "the slash command of thread '\(thread.id)' has no response_url kept with it; ask again with /sip")
            }
            payload["response_type"] = settings.commandResponse.rawValue
            try await api.respond(to: url, json: payload)
            return trigger
        }
    }

    /// In a channel's thread: the agent's own replies (`conversations.replies`,
    /// cursor paging) whose text or blocks carry `marker`. For a slash
    /// command there is nothing to read back (a response_url only takes
    /// posts), so nil: see docs/slack.md for what exactly-once means there.
    public func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
        guard let target = SlackThreadID(thread.id) else { throw SlackError.badThreadID(thread.id) }
        guard case .thread(let channel, let ts) = target, !marker.isEmpty else { return nil }
        let me = try await identity.get(api)
        var cursor: String?
        for _ in 0..<Self.threadPages {
            var query = [("channel", channel), ("ts", ts), ("limit", "200")]
            if let cursor { query.append(("cursor", cursor)) }
            let answer: SlackObject
            do {
                answer = try await api.get("conversations.replies", query: query, context: channel)
            } catch SlackError.rejected(_, let error) where error == "thread_not_found" || error == "message_not_found" {
                return nil
            }
            for message in answer["messages"] as? [[String: Any]] ?? [] where me.wrote(message) {
                if Self.texts(in: message).contains(where: { Self.carries($0, marker: marker) }) {
                    return message["ts"] as? String ?? ""
                }
            }
            let next = (answer["response_metadata"] as? [String: Any])?["next_cursor"] as? String
            guard let next, !next.isEmpty, answer["has_more"] as? Bool != false else { return nil }
            cursor = next
        }
        return nil
    }

    /// Every string under a "text" key of the message (its `text`, its
    /// blocks' texts), where the marker may be.
    static func texts(in value: Any) -> [String] {
        if let object = value as? [String: Any] {
            var found: [String] = []
            for (key, inner) in object {
                if key == "text", let text = inner as? String { found.append(text) } else { found += texts(in: inner) }
            }
            return found
        }
        if let array = value as? [Any] { return array.flatMap { texts(in: $0) } }
        return []
    }

    static func carries(_ text: String, marker: String) -> Bool {
        AnnotationMarker.text(text, carries: marker)
    }
}
