import Annotation
import Foundation
import HTTPClient

/// A Zendesk Support account as a place where people write Call-IDs and
/// the agent answers with a private comment. A thread is a ticket (its id
/// is the ticket number); its texts are the ticket's comments by anyone
/// but the agent's user, each its `html_body` when the API gives one,
/// else its `body`.
///
/// Polling walks the cursor-based incremental ticket export: the first
/// poll ever from `start_time` = now − look-back, every later one from the
/// stored `after_cursor`, page by page until `end_of_stream`. The export
/// allows 10 requests a minute: a `ZendeskRequestLimiter` keeps to it.
/// See docs/zendesk.md.
public struct ZendeskBackend: ConversationBackend {
    public let name: String
    public let settings: Settings
    public var kind: ConversationKind { .tickets }
    public var postStyle: PostStyle { PostStyle(markup: settings.postMarkup, maxCharacters: settings.maxPostCharacters) }
    public var pollInterval: Duration { settings.pollInterval }
    /// The shortest post limit accepted: the headline, the first failure,
    /// the fix and the marker must fit.
    public static let minimumPostCharacters = 1_000
    /// The export refuses a start_time less than a minute in the past.
    static let minimumLookBack: TimeInterval = 60
    static let exportPath = "/api/v2/incremental/tickets/cursor.json"
    static let exportNeeds = "the incremental export is for admins only: make the agent's user an admin of the account"
    static let ticketNeeds = "give the agent's user a role that can see and comment on this ticket's group (an agent with access to all tickets, or to the group)"

    private let rest: ZendeskREST
    private let limiter: ZendeskRequestLimiter
    private let agentUser: ZendeskAgentUser
    private let now: @Sendable () -> Date

    /// `now` is the clock the first poll's look-back counts from.
    public init(settings: Settings, client: any HTTPSending, now: @escaping @Sendable () -> Date = { Date() }) throws(ZendeskError) {
        let server = try Self.server(settings.baseURL)
        try Self.validate(settings)
        self.settings = settings
        self.now = now
        name = settings.name
        rest = ZendeskREST(server: server, email: settings.email.trimmingCharacters(in: .whitespaces),
                           token: settings.token, client: client)
        limiter = ZendeskRequestLimiter(settings.exportLimit)
        agentUser = ZendeskAgentUser()
    }

    // MARK: poll

    public func poll(after cursor: String?) async throws -> ConversationPoll {
        try await pollTyped(after: cursor)
    }

    /// `poll` with its error typed.
    public func pollTyped(after cursor: String?) async throws(ZendeskError) -> ConversationPoll {
        let me = try await agentUserID()
        let (tickets, next) = try await export(after: cursor)
        var threads: [ConversationThread] = []
        // A deleted ticket is listed once more; a closed one takes no
        // comment (422) and a person's reply to it opens a follow-up ticket.
        for ticket in tickets where ticket.status != "deleted" && ticket.status != "closed" {
            let comments: [ZendeskComment]
            do {
                comments = try await self.comments(ofTicket: ticket.id)
            } catch .ticketNotFound {
                continue // deleted between the export and now
            }
            let texts = comments.compactMap { text(of: $0, me: me) }
            guard !texts.isEmpty else { continue }
            threads.append(ConversationThread(id: String(ticket.id), title: ticket.subject, texts: texts, seenAt: now()))
        }
        return ConversationPoll(threads: threads, cursor: next)
    }

    /// The tickets the export lists after `cursor` (each once, its last
    /// listing kept, in the export's order) and the `after_cursor` to keep.
    func export(after cursor: String?) async throws(ZendeskError) -> ([ZendeskTicket], String?) {
        var query: [(String, String)]
        if let cursor {
            query = [("cursor", cursor)]
        } else {
            let lookBack = max(settings.firstPollLookBack.inSeconds, Self.minimumLookBack)
            query = [("start_time", String(Int64((now().timeIntervalSince1970 - lookBack).rounded(.down))))]
        }
        var tickets: [ZendeskTicket] = []
        var index: [Int64: Int] = [:]
        var after = cursor
        for _ in 0..<settings.maxExportPagesPerPoll {
            let slot: UInt64
            do {
                slot = try await limiter.take()
            } catch {
                throw .noAnswer(server: rest.server, detail: "cancelled while waiting for the export's rate limit")
            }
            var answer: ZendeskExportPage?
            var failure: ZendeskError?
            do {
                answer = try await exportPage(query)
            } catch {
                failure = error
            }
            await limiter.settle(slot)
            if let failure { throw failure }
            guard let page = answer else { break }
            for ticket in page.tickets {
                if let at = index[ticket.id] {
                    tickets[at] = ticket
                } else {
                    index[ticket.id] = tickets.count
                    tickets.append(ticket)
                }
            }
            guard let next = page.afterCursor, !next.isEmpty else { break }
            after = next
            if page.endOfStream ?? true { break }
            query = [("cursor", next)]
        }
        return (tickets, after)
    }

    /// One export page; a refused cursor named as such.
    private func exportPage(_ query: [(String, String)]) async throws(ZendeskError) -> ZendeskExportPage {
        do {
            return try await rest.get(ZendeskExportPage.self, Self.exportPath, query: query, needs: Self.exportNeeds)
        } catch .rejected(let server, _, let status, let message) where (status == 400 || status == 422) && query.first?.0 == "cursor" {
            throw .badCursor(server: server, cursor: query[0].1, message: message)
        }
    }

    /// A comment as a text of the thread, or nil when it is the agent's
    /// (by author, or by its marker) or empty.
    private func text(of comment: ZendeskComment, me: Int64) -> ConversationText? {
        guard comment.authorId != me else { return nil }
        guard !comment.allTexts.contains(where: AnnotationMarker.isAgentPost) else { return nil }
        let html = comment.htmlBody?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let plain = (comment.body ?? comment.plainBody ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !html.isEmpty || !plain.isEmpty else { return nil }
        return ConversationText(id: String(comment.id), author: comment.authorId.map(String.init) ?? "",
                                body: html.isEmpty ? plain : html, markup: html.isEmpty ? .plain : .html,
                                at: comment.createdAt.flatMap(ZendeskTime.parse))
    }

    /// Every comment of a ticket, oldest first, following whichever
    /// pagination the answer uses.
    func comments(ofTicket ticket: Int64) async throws(ZendeskError) -> [ZendeskComment] {
        let path = "/api/v2/tickets/\(ticket)/comments.json"
        var url = rest.server + path + QueryString.encode([("page[size]", String(settings.commentPageSize))])
        var comments: [ZendeskComment] = []
        var seenURLs: Set<String> = []
        while seenURLs.insert(url).inserted {
            let page: ZendeskCommentPage
            do {
                page = try await rest.get(ZendeskCommentPage.self, url: url, path: path, needs: Self.ticketNeeds)
            } catch .rejected(_, _, 404, _) {
                throw .ticketNotFound(server: rest.server, ticket: String(ticket))
            }
            comments += page.comments
            guard let next = nextPage(of: page, path: path) else { break }
            url = next
        }
        var seen: Set<Int64> = []
        return comments.filter { seen.insert($0.id).inserted }
            .sorted { ($0.createdAt.flatMap(ZendeskTime.parse) ?? .distantPast, $0.id) < ($1.createdAt.flatMap(ZendeskTime.parse) ?? .distantPast, $1.id) }
    }

    /// The next page's address: cursor pagination (`meta.has_more` with
    /// `links.next`, or `page[after]` built from `meta.after_cursor`),
    /// else offset pagination's `next_page`; nil at the end. A link to
    /// another host is not followed (the token would go with it).
    private func nextPage(of page: ZendeskCommentPage, path: String) -> String? {
        if let meta = page.meta, meta.hasMore != nil || meta.afterCursor != nil {
            guard meta.hasMore == true else { return nil }
            if let next = page.links?.next, rest.isOwn(next) { return next }
            guard let after = meta.afterCursor, !after.isEmpty else { return nil }
            return rest.server + path + QueryString.encode([("page[size]", String(settings.commentPageSize)), ("page[after]", after)])
        }
        if let next = page.nextPage, !next.isEmpty, rest.isOwn(next) { return next }
        return nil
    }

    /// The agent's user id, asked once.
    private func agentUserID() async throws(ZendeskError) -> Int64 {
        if let id = await agentUser.id { return id }
        let me = try await rest.get(ZendeskMe.self, "/api/v2/users/me.json", needs: "the agent's user must be able to sign in to the API")
        guard let id = me.user.id else {
            // Zendesk answers an anonymous user rather than 401 in some setups.
            throw .credentialsRefused(server: rest.server, email: rest.email, message: "the API took the request as anonymous")
        }
        await agentUser.remember(id)
        return id
    }

    // MARK: findPost and post

    public func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
        try await findPostTyped(marker: marker, in: thread)
    }

    /// The id of the newest comment on the ticket that carries `marker`.
    /// Any author's: the marker is written by the agent alone, so a
    /// comment carrying it means the post went out (better a missed post
    /// noticed than a second one).
    public func findPostTyped(marker: String, in thread: ConversationThread) async throws(ZendeskError) -> String? {
        let ticket = try Self.ticket(thread.id)
        let comments = try await self.comments(ofTicket: ticket)
        return comments.last { $0.allTexts.contains { Self.body($0, carries: marker) } }.map { String($0.id) }
    }

    public func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
        try await postTyped(post, in: thread)
    }

    /// `post` with its error typed: a private comment (`public: false`),
    /// as `html_body` when the post has HTML and the settings ask for it,
    /// else as `body`; the new comment's id.
    public func postTyped(_ post: RenderedPost, in thread: ConversationThread) async throws(ZendeskError) -> String {
        let ticket = try Self.ticket(thread.id)
        let html = settings.postMarkup == .html && post.markup == .html ? post.formatted : nil
        var comment: [String: Any] = ["public": false]
        if let html { comment["html_body"] = html } else { comment["body"] = post.plain }
        let json = (try? JSONSerialization.data(withJSONObject: ["ticket": ["comment": comment]], options: [.sortedKeys])).map { Array($0) } ?? []
        let path = "/api/v2/tickets/\(ticket).json"
        let response = try await rest.put(path, json: json)
        switch response.status {
        case 200, 201:
            let answer = try? rest.decode(ZendeskUpdateAnswer.self, response, path: path)
            if let id = answer?.audit?.events?.first(where: { $0.type == "Comment" })?.id { return String(id) }
            // Added, but the answer does not say which comment: the marker finds it.
            if let found = try await findPostTyped(marker: post.marker, in: thread) { return found }
            throw .unexpectedAnswer(server: rest.server, path: path, detail: "\(response.status) without the new comment in its audit, and no comment carries the marker")
        case 404:
            throw .ticketNotFound(server: rest.server, ticket: thread.id)
        case 422:
            throw .commentRefused(server: rest.server, ticket: thread.id, message: ZendeskREST.message(in: response))
        default:
            try rest.check(response, path: path, needs: Self.ticketNeeds)
            throw .unexpectedAnswer(server: rest.server, path: path, detail: "\(response.status) where 200 was expected: \(response.sketch)")
        }
    }

    // MARK: values

    static func body(_ text: String, carries marker: String) -> Bool {
        AnnotationMarker.text(text, carries: marker)
    }

    static func ticket(_ threadID: String) throws(ZendeskError) -> Int64 {
        guard !threadID.isEmpty, threadID.count <= 18, threadID.allSatisfy({ ("0"..."9").contains($0) }),
              let number = Int64(threadID), number > 0 else {
            throw .badSettings(reason: "'\(threadID.prefix(60))' is not a Zendesk ticket number; a Zendesk thread's id is the ticket's number (e.g. 123)")
        }
        return number
    }
}
