import Foundation

// The Support API's answers, as far as the agent reads them (decoded with
// `.convertFromSnakeCase`: `after_cursor` is `afterCursor`). Every field the
// agent can do without is optional, so that a field Zendesk drops or adds
// does not stop the poll.

/// One page of `GET /api/v2/incremental/tickets/cursor.json`.
struct ZendeskExportPage: Decodable, Sendable {
    var tickets: [ZendeskTicket]
    var afterCursor: String?
    var endOfStream: Bool?
}

struct ZendeskTicket: Decodable, Sendable {
    var id: Int64
    var subject: String?
    /// "deleted" for a ticket deleted since: the export lists it once more.
    var status: String?
    var generatedTimestamp: Int64?
}

/// One page of `GET /api/v2/tickets/{id}/comments`, in either pagination:
/// cursor (`meta.has_more`, `meta.after_cursor`, `links.next`) or offset
/// (`next_page`). Which one the endpoint answers is unverified
/// (backends.md §5): both are followed.
struct ZendeskCommentPage: Decodable, Sendable {
    struct Meta: Decodable, Sendable {
        var hasMore: Bool?
        var afterCursor: String?
    }

    struct Links: Decodable, Sendable {
        var next: String?
    }

    var comments: [ZendeskComment]
    var meta: Meta?
    var links: Links?
    var nextPage: String?
}

struct ZendeskComment: Decodable, Sendable {
    var id: Int64
    var authorId: Int64?
    var body: String?
    /// Documented for request comments; unverified for ticket comments:
    /// used when present, `body` otherwise.
    var htmlBody: String?
    var plainBody: String?
    var `public`: Bool?
    var createdAt: String?

    /// Every text the comment carries, for the marker search.
    var allTexts: [String] { [body, htmlBody, plainBody].compactMap { $0 } }
}

/// `GET /api/v2/users/me.json`.
struct ZendeskMe: Decodable, Sendable {
    struct User: Decodable, Sendable {
        /// Null for the anonymous user Zendesk answers with when the
        /// credentials are not taken.
        var id: Int64?
        var email: String?
        var role: String?
    }

    var user: User
}

/// `PUT /api/v2/tickets/{id}.json`'s answer: the ticket and the audit of
/// the change, whose `Comment` event carries the new comment's id.
struct ZendeskUpdateAnswer: Decodable, Sendable {
    struct Audit: Decodable, Sendable {
        struct Event: Decodable, Sendable {
            var id: Int64?
            var type: String?
        }

        var id: Int64?
        var events: [Event]?
    }

    var audit: Audit?
}

enum ZendeskTime {
    /// `2026-12-02T16:00:00Z`, with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
