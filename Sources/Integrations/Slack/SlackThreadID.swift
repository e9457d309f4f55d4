/// Where an answer goes, as the ledger keeps it: a thread in a channel
/// ("C0123 1712345678.000100", the parent message's ts), or a slash
/// command ("command C0123 TRIGGER_ID"), answered through its
/// response_url (`ConversationThread.replyTo`).
public enum SlackThreadID: Sendable, Equatable {
    case thread(channel: String, ts: String)
    case command(channel: String, triggerID: String)

    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3, parts[0] == "command", !parts[1].isEmpty, !parts[2].isEmpty {
            self = .command(channel: parts[1], triggerID: parts[2])
        } else if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0] != "command" {
            self = .thread(channel: parts[0], ts: parts[1])
        } else {
            return nil
        }
    }

    public var text: String {
        switch self {
        case .thread(let channel, let ts): return "\(channel) \(ts)"
        case .command(let channel, let trigger): return "command \(channel) \(trigger)"
        }
    }
}
