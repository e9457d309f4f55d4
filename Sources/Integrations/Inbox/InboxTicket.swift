import Annotation
import Foundation

/// One ticket file of the inbox, as people (or a mail gateway) write it:
///
///     {"id": "ticket-101", "title": "Calls to 2002 fail",
///      "texts": [{"author": "jo@example.com", "markup": "plain", "body": "..."}]}
///
/// or, for a ticket of one text, `body` (and `author`, `markup`) at the top.
/// `id` defaults to the file's name without `.json`.
struct InboxTicket: Decodable {
    struct Text: Decodable {
        var id: String?
        var author: String?
        var body: String
        var markup: TextMarkup?
        var at: Date?
    }

    var id: String?
    var title: String?
    var texts: [Text]?
    var body: String?
    var author: String?
    var markup: TextMarkup?

    /// The longest thread id kept (it names a folder of the out side).
    static let maxIDLength = 128

    /// True for ids usable as a folder name: letters, digits, `.`, `_`, `-`,
    /// not starting with a dot.
    static func isUsableID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= maxIDLength && !id.hasPrefix(".")
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    /// The thread this file describes, or why it is not one.
    static func thread(from data: Data, fileName: String, seenAt: Date) throws(InboxError) -> ConversationThread {
        let ticket: InboxTicket
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            ticket = try decoder.decode(InboxTicket.self, from: data)
        } catch {
            throw .badTicket(file: fileName, reason: Self.reason(error))
        }
        let id = ticket.id ?? String(fileName.dropLast(".json".count))
        guard isUsableID(id) else {
            throw .badTicket(file: fileName, reason: "its id \"\(id.prefix(80))\" is not usable; write letters, digits, ., _ and - only (at most \(maxIDLength)), like ticket-101")
        }
        var texts: [ConversationText] = []
        if let body = ticket.body {
            texts.append(ConversationText(id: "0", author: ticket.author ?? "", body: body, markup: ticket.markup ?? .plain))
        }
        for (i, t) in (ticket.texts ?? []).enumerated() {
            texts.append(ConversationText(id: t.id ?? String(texts.count + i), author: t.author ?? "", body: t.body,
                                          markup: t.markup ?? .plain, at: t.at))
        }
        guard !texts.isEmpty else {
            throw .badTicket(file: fileName, reason: "it has no text; give \"body\": \"...\" or \"texts\": [{\"body\": \"...\"}]")
        }
        // The agent's own words are never read back as someone's.
        texts.removeAll { AnnotationMarker.isAgentPost($0.body) }
        return ConversationThread(id: id, title: ticket.title, texts: texts, seenAt: seenAt)
    }

    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c):
            return "it is not JSON (\(c.underlyingError.map { "\($0.localizedDescription)" } ?? c.debugDescription)); fix the syntax"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(path.isEmpty ? "the top" : path) is not what a ticket holds there (\(c.debugDescription)); see docs/agent.md for the ticket format"
        case DecodingError.keyNotFound(let key, let c):
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(path) lacks \"\(key.stringValue)\"; see docs/agent.md for the ticket format"
        default:
            return "\(error)"
        }
    }
}
