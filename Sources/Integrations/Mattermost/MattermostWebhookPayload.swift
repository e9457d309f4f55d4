import Foundation

/// What a Mattermost outgoing webhook POSTs (`model.OutgoingWebhookPayload`):
/// form-encoded by default, JSON when the hook's content type says so.
/// The two differ in one field: `timestamp` (the post's CreateAt) is in
/// milliseconds in JSON and in seconds in the form (`ToFormValues`
/// divides by 1000); `at` holds it as a date either way.
struct MattermostWebhookPayload: Sendable, Equatable {
    var token: String
    var teamID: String
    var teamDomain: String
    var channelID: String
    var channelName: String
    var at: Date?
    var userID: String
    var userName: String
    var postID: String
    var text: String
    var triggerWord: String
    var fileIDs: String

    enum Encoding: String, Sendable { case form, json }

    /// Why a body is not a webhook payload, said to the log.
    struct Unreadable: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// Reads the body as the content type says (a body starting with `{`
    /// is JSON whatever it says: a proxy may drop the header).
    static func read(_ body: [UInt8], contentType: String?) throws(Unreadable) -> (MattermostWebhookPayload, Encoding) {
        let type = (contentType ?? "").lowercased()
        let firstByte = body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if type.hasPrefix("application/json") || firstByte == UInt8(ascii: "{") {
            return (try json(body), .json)
        }
        return (try form(body), .form)
    }

    static func json(_ body: [UInt8]) throws(Unreadable) -> MattermostWebhookPayload {
        guard let any = try? JSONSerialization.jsonObject(with: Data(body)), let object = any as? [String: Any] else {
            throw Unreadable(description: "the body is not a JSON object (a Mattermost outgoing webhook with content type application/json sends one)")
        }
        func text(_ key: String) -> String {
            if let s = object[key] as? String { return s }
            if let n = object[key] as? NSNumber { return n.stringValue }
            return ""
        }
        var at: Date?
        if let n = object["timestamp"] as? NSNumber {
            at = Date(timeIntervalSince1970: n.doubleValue / 1000)
        } else if let s = object["timestamp"] as? String, let n = Double(s) {
            at = Date(timeIntervalSince1970: n / 1000)
        }
        return try checked(MattermostWebhookPayload(
            token: text("token"), teamID: text("team_id"), teamDomain: text("team_domain"), channelID: text("channel_id"),
            channelName: text("channel_name"), at: at, userID: text("user_id"), userName: text("user_name"),
            postID: text("post_id"), text: text("text"), triggerWord: text("trigger_word"), fileIDs: text("file_ids")))
    }

    static func form(_ body: [UInt8]) throws(Unreadable) -> MattermostWebhookPayload {
        var fields: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = decode(Array(parts[0])) else {
                throw Unreadable(description: "the form body has a field name that is not percent-encoded UTF-8")
            }
            guard let value = decode(parts.count > 1 ? Array(parts[1]) : []) else {
                throw Unreadable(description: "the form field \(key) is not percent-encoded UTF-8")
            }
            if fields[key] == nil { fields[key] = value }
        }
        let at = fields["timestamp"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        return try checked(MattermostWebhookPayload(
            token: fields["token"] ?? "", teamID: fields["team_id"] ?? "", teamDomain: fields["team_domain"] ?? "",
            channelID: fields["channel_id"] ?? "", channelName: fields["channel_name"] ?? "", at: at,
            userID: fields["user_id"] ?? "", userName: fields["user_name"] ?? "", postID: fields["post_id"] ?? "",
            text: fields["text"] ?? "", triggerWord: fields["trigger_word"] ?? "", fileIDs: fields["file_ids"] ?? ""))
    }

    /// application/x-www-form-urlencoded: `+` is a space, `%XX` a byte.
    static func decode(_ bytes: [UInt8]) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(0x20)
            } else if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) else { return nil }
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(bytes: out, encoding: .utf8)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The ids the agent builds its thread id and its REST calls from must be ids.
    private static func checked(_ p: MattermostWebhookPayload) throws(Unreadable) -> MattermostWebhookPayload {
        guard MattermostThreadID.isID(p.postID) else {
            throw Unreadable(description: "post_id '\(p.postID.prefix(40))' is missing or not a Mattermost id")
        }
        guard MattermostThreadID.isID(p.channelID) else {
            throw Unreadable(description: "channel_id '\(p.channelID.prefix(40))' is missing or not a Mattermost id")
        }
        return p
    }
}
