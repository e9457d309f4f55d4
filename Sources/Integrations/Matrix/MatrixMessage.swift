import Annotation
import Foundation

/// One `m.room.message` event as the agent reads it, from `/sync`'s
/// timeline or `/messages`: who wrote what, where, in which thread, and
/// whether it is for the agent at all.
struct MatrixMessage: Equatable {
    var eventID: String
    var roomID: String
    var sender: String
    var msgtype: String
    /// Plain `body`, a legacy reply fallback ("> <@bob:x> …" lines) cut off.
    var body: String
    /// `formatted_body` when `format` is `org.matrix.custom.html`, the
    /// `<mx-reply>` fallback cut off.
    var html: String?
    /// `m.relates_to.rel_type`, if any (`m.thread`, `m.replace`, …).
    var relation: String?
    /// The event the relation points at (the thread root for `m.thread`).
    var relatedEventID: String?
    /// `m.mentions.user_ids`; nil when the event has no `m.mentions`
    /// (a client older than intentional mentions).
    var mentionedUserIDs: [String]?
    var at: Date?

    /// Nil for anything that is not a readable message (a redacted event,
    /// a state event, a body that is not text).
    init?(event: [String: Any], roomID: String) {
        guard event["type"] as? String == "m.room.message", event["state_key"] == nil,
              let eventID = event["event_id"] as? String, eventID.hasPrefix("$"),
              let sender = event["sender"] as? String,
              let content = event["content"] as? [String: Any],
              let body = content["body"] as? String,
              let msgtype = content["msgtype"] as? String else { return nil }
        self.eventID = eventID
        self.roomID = roomID
        self.sender = sender
        self.msgtype = msgtype
        let relates = content["m.relates_to"] as? [String: Any]
        relation = relates?["rel_type"] as? String
        relatedEventID = relates?["event_id"] as? String
        let isReply = (relates?["m.in_reply_to"] as? [String: Any])?["event_id"] is String
        self.body = isReply ? Self.withoutReplyFallback(body) : body
        if content["format"] as? String == "org.matrix.custom.html", let formatted = content["formatted_body"] as? String {
            html = Self.withoutMXReply(formatted)
        }
        if let mentions = content["m.mentions"] as? [String: Any] {
            mentionedUserIDs = mentions["user_ids"] as? [String] ?? []
        }
        if let ms = (event["origin_server_ts"] as? NSNumber)?.doubleValue, ms.isFinite, ms > 0 {
            at = Date(timeIntervalSince1970: ms / 1000)
        }
    }

    /// Where the agent answers it: in its thread, or in a new thread on it.
    var thread: MatrixThreadID {
        if relation == "m.thread", let root = relatedEventID, root.hasPrefix("$") {
            return MatrixThreadID(roomID: roomID, rootEventID: root)
        }
        return MatrixThreadID(roomID: roomID, rootEventID: eventID)
    }

    /// Why the agent leaves it alone, or nil to read it: its own events,
    /// notices (bots' words, never to be answered, the agent's own
    /// included), edits (the original was read; an edit's new Call-ID is
    /// not chased, see docs/matrix.md), anything but text, and any
    /// message carrying an agent marker.
    func skipReason(me: String) -> String? {
        if sender == me { return "own" }
        if msgtype == "m.notice" { return "notice" }
        if relation == "m.replace" { return "edit" }
        guard msgtype == "m.text" || msgtype == "m.emote" else { return "not text" }
        if AnnotationMarker.isAgentPost(body) || html.map(AnnotationMarker.isAgentPost) == true { return "marker" }
        return nil
    }

    /// As the agent's extraction reads it: the HTML body when there is
    /// one (links and code blocks survive there), else the plain body,
    /// which Matrix clients write as Markdown-ish text.
    var text: ConversationText {
        if let html {
            return ConversationText(id: eventID, author: sender, body: html, markup: .html, at: at)
        }
        return ConversationText(id: eventID, author: sender, body: body, markup: .markdown, at: at)
    }

    /// Does it speak to the agent? With `m.mentions` only its user ids
    /// count (intentional mentions, spec v1.7: clients that send it mean
    /// exactly it). Without, the legacy rules: the agent's user id, a
    /// matrix.to link to it, its display name or its localpart as a word.
    func mentions(userID: String, displayName: String?) -> Bool {
        if let mentionedUserIDs { return mentionedUserIDs.contains(userID) }
        if body.contains(userID) { return true }
        if let html {
            let encoded = userID.replacingOccurrences(of: "@", with: "%40").replacingOccurrences(of: ":", with: "%3A")
            if html.contains("matrix.to/#/" + userID) || html.contains("matrix.to/#/" + encoded)
                || html.localizedCaseInsensitiveContains("matrix.to/#/" + encoded) { return true }
        }
        let localpart = String(userID.dropFirst().prefix { $0 != ":" })
        for name in [displayName, localpart].compactMap({ $0 }) where !name.isEmpty {
            if Self.containsWord(name, in: body) { return true }
        }
        return false
    }

    /// `word` in `text`, case-insensitively, not inside a longer word
    /// (the push rules' "contains display name" test).
    static func containsWord(_ word: String, in text: String) -> Bool {
        let haystack = text.lowercased(), needle = word.lowercased()
        var from = haystack.startIndex
        while let range = haystack.range(of: needle, range: from..<haystack.endIndex) {
            let before = range.lowerBound == haystack.startIndex ? nil : haystack[haystack.index(before: range.lowerBound)]
            let after = range.upperBound == haystack.endIndex ? nil : haystack[range.upperBound]
            let isWordChar: (Character?) -> Bool = { c in c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
            if !isWordChar(before), !isWordChar(after) { return true }
            from = range.upperBound
        }
        return false
    }

    /// A legacy rich reply quotes the message it answers as leading "> "
    /// lines and a blank line; they are the other message's words.
    static func withoutReplyFallback(_ body: String) -> String {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.hasPrefix("> ") == true else { return body }
        var index = 0
        while index < lines.count, lines[index].hasPrefix(">") { index += 1 }
        if index < lines.count, lines[index].isEmpty { index += 1 }
        return lines[index...].joined(separator: "\n")
    }

    /// The HTML reply fallback, `<mx-reply>…</mx-reply>`, first in the body.
    static func withoutMXReply(_ html: String) -> String {
        guard let start = html.range(of: "<mx-reply>"), let end = html.range(of: "</mx-reply>", range: start.upperBound..<html.endIndex) else {
            return html
        }
        return String(html[..<start.lowerBound] + html[end.upperBound...])
    }
}
