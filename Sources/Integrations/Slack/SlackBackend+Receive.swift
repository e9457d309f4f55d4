import Annotation
import Foundation

extension SlackBackend {
    /// How long the first event waits for `auth.test` before it is read
    /// without it (Slack retries what is not answered within 3 s).
    static let identityPatience = Duration.milliseconds(1500)

    /// Message subtypes that are something someone wrote; every other one
    /// (`message_changed`, `message_deleted`, joins, topic changes…) is
    /// not answered.
    static let writtenSubtypes: Set<String> = ["thread_broadcast", "file_share", "bot_message", "me_message"]

    public func receive(_ request: InboundRequest) async -> InboundVerdict {
        // Slack checks a slash command's certificate with `ssl_check=1`
        // (whether it signs that request is unverified): a 200 tells it
        // nothing and nothing is read or recorded.
        if request.path == settings.commandsPath, Self.form(request.body)["ssl_check"] == "1",
           Self.form(request.body)["command"] == nil {
            return .answered(.ok)
        }
        do {
            try signature.verify(request)
        } catch {
            return .refused(.text("invalid request signature\n", status: 401), reason: error.description)
        }
        if request.path == settings.commandsPath { return command(request) }
        return await event(request)
    }

    // MARK: Events API

    func event(_ request: InboundRequest) async -> InboundVerdict {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] else {
            return .refused(.text("the body is not a JSON object\n", status: 400),
                            reason: "an Events API request whose body is not JSON (is the slash command's Request URL set to the events path? use \(settings.commandsPath))")
        }
        switch object["type"] as? String {
        case "url_verification":
            let challenge = object["challenge"] as? String ?? ""
            return .answered(.json(Self.json(["challenge": challenge])))
        case "event_callback":
            guard let event = object["event"] as? [String: Any] else { return .answered(.ok) }
            guard let found = await thread(of: event) else { return .answered(.ok) }
            let id = (object["event_id"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            return .delivered(InboundDelivery(id: id, threads: [found]), answer: .ok)
        default:
            // app_rate_limited and whatever Slack adds: received, nothing to do.
            return .answered(.ok)
        }
    }

    /// The thread an event asks the agent to answer in, or nil when it
    /// asks nothing of it: another event type, a `message` while only
    /// mentions are answered, an edit or a deletion, the agent's own post.
    func thread(of event: [String: Any]) async -> ConversationThread? {
        let type = event["type"] as? String
        guard type == "app_mention" || (type == "message" && settings.respondTo == .everyMessage) else { return nil }
        if let subtype = event["subtype"] as? String, !Self.writtenSubtypes.contains(subtype) { return nil }
        if event["hidden"] as? Bool == true { return nil }
        guard let channel = event["channel"] as? String, !channel.isEmpty, !channel.contains(" "),
              let ts = event["ts"] as? String, !ts.isEmpty, !ts.contains(" ") else { return nil }
        let raw = event["text"] as? String ?? ""
        // Every post of the agent carries its marker: dropped even when
        // auth.test could not be asked.
        if AnnotationMarker.isAgentPost(raw) { return nil }
        if let me = await identity.get(api, patience: Self.identityPatience), me.wrote(event) { return nil }
        let body = SlackText.plain(raw)
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        let root = (event["thread_ts"] as? String).flatMap { $0.isEmpty || $0.contains(" ") ? nil : $0 } ?? ts
        let author = event["user"] as? String ?? event["bot_id"] as? String ?? ""
        let text = ConversationText(id: ts, author: author, body: body, markup: .plain,
                                    at: Double(ts).map { Date(timeIntervalSince1970: $0) })
        return ConversationThread(id: SlackThreadID.thread(channel: channel, ts: root).text, title: nil, texts: [text])
    }

    // MARK: Slash command

    /// `/sip CALL-ID…`: answered at once with an ephemeral "looking up…"
    /// (Slack shows an error after 3 s without an answer), the Call-IDs
    /// delivered as a thread answered through the response_url.
    func command(_ request: InboundRequest) -> InboundVerdict {
        let form = Self.form(request.body)
        guard let responseURL = form["response_url"], Self.isResponseURL(responseURL) else {
            return .refused(.text("no response_url in the command\n", status: 400),
                            reason: "a slash command without a usable response_url (is the Events API's Request URL set to the commands path? use \(settings.eventsPath))")
        }
        let channel = form["channel_id"].flatMap { $0.isEmpty || $0.contains(" ") ? nil : $0 } ?? "unknown"
        guard let trigger = form["trigger_id"], !trigger.isEmpty, !trigger.contains(" ") else {
            return .refused(.text("no trigger_id in the command\n", status: 400), reason: "a slash command without a trigger_id")
        }
        let command = form["command"] ?? "/sip"
        let callIDs = Self.callIDs(in: SlackText.plain(form["text"] ?? ""))
        guard !callIDs.isEmpty else {
            return .answered(.json(Self.json(["response_type": "ephemeral",
                                              "text": SlackText.escaped("Usage: \(command) CALL-ID [CALL-ID…]: the SIP Call-IDs of the calls to diagnose.")])))
        }
        let body = callIDs.map { "Call-ID: \($0)" }.joined(separator: "\n")
        let text = ConversationText(id: trigger, author: form["user_id"] ?? "", body: body, markup: .plain)
        let thread = ConversationThread(id: SlackThreadID.command(channel: channel, triggerID: trigger).text,
                                        title: "\(command) \(callIDs.joined(separator: " "))", texts: [text], replyTo: responseURL)
        let shown = callIDs.prefix(3).joined(separator: ", ") + (callIDs.count > 3 ? ", …" : "")
        let answer = InboundAnswer.json(Self.json(["response_type": "ephemeral",
                                                   "text": SlackText.escaped("Looking up \(shown)…")]))
        return .delivered(InboundDelivery(id: "command " + trigger, threads: [thread]), answer: answer)
    }

    /// The command's words that could be Call-IDs (at most 10, as one post
    /// answers at most 10 calls).
    static func callIDs(in text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" })
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"'`")) }
            .filter { !$0.isEmpty && $0.count <= 256 && seen.insert($0).inserted }
            .prefix(10).map { $0 }
    }

    /// A response_url the agent will POST to: http(s) only, no user.
    static func isResponseURL(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              url.host?.isEmpty == false, url.user == nil, url.password == nil else { return false }
        return true
    }

    /// An `application/x-www-form-urlencoded` body; the last of a repeated field.
    static func form(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            guard let key = parts.first else { continue }
            fields[decoded(key)] = parts.count > 1 ? decoded(parts[1]) : ""
        }
        return fields
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
