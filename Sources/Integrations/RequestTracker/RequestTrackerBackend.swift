import Annotation
import Foundation
import HTTPClient

/// A Request Tracker 5 queue over its REST2 API as a place where people
/// write Call-IDs and the agent answers with a comment. A thread is a
/// ticket (its id is the ticket number); its texts are the ticket's
/// create, reply and comment transactions by anyone but the agent's user,
/// each one body (base64-decoded, HTML kept as `.html`).
///
/// Polling asks TicketSQL for `LastUpdated >= watermark` (see
/// `RequestTrackerCursor`), oldest first, page by page. See
/// docs/request-tracker.md.
public struct RequestTrackerBackend: ConversationBackend {
    public let name: String
    public let settings: Settings
    public var kind: ConversationKind { .tickets }
    public var postStyle: PostStyle { PostStyle(markup: settings.postMarkup, maxCharacters: settings.maxPostCharacters) }
    public var pollInterval: Duration { settings.pollInterval }
    /// The shortest post limit accepted: the headline, the first failure,
    /// the fix and the marker must fit.
    public static let minimumPostCharacters = 1_000
    /// At most this many search pages in one poll (of `pageSize` tickets);
    /// the cursor then stops where the poll did and the next one goes on.
    static let maxSearchPagesPerPoll = 40
    /// Tickets whose history and bodies are read at the same time.
    static let ticketsReadAtOnce = 4

    private let rest: RequestTrackerREST
    private let memory: RequestTrackerMemory
    private let now: @Sendable () -> Date

    /// `now` is the clock the first poll's look-back counts from.
    public init(settings: Settings, client: any HTTPSending, now: @escaping @Sendable () -> Date = { Date() }) throws(RequestTrackerError) {
        let server = try Self.server(settings.baseURL)
        try Self.validate(settings)
        self.settings = settings
        self.now = now
        name = settings.name
        rest = RequestTrackerREST(server: server, user: settings.agentUser, token: settings.token, client: client,
                                  reuseWebSession: settings.reuseWebSession)
        memory = RequestTrackerMemory()
    }

    // MARK: poll

    public func poll(after cursor: String?) async throws -> ConversationPoll {
        try await pollTyped(after: cursor)
    }

    /// `poll` with its error typed.
    public func pollTyped(after cursor: String?) async throws(RequestTrackerError) -> ConversationPoll {
        let start = try cursor.map { text throws(RequestTrackerError) in try RequestTrackerCursor(parsing: text) }
            ?? RequestTrackerCursor(watermark: now().addingTimeInterval(-settings.firstPollLookBack.inSeconds))
        let zone = try await userZone()
        let (tickets, stoppedAt) = try await search(from: start.watermark, zone: zone)

        let read = try await readTickets(tickets, since: start)
        var threads: [ConversationThread] = []
        var newest = start.watermark
        var newestTransactions: [Int: Int] = [:]
        for (ticket, result) in zip(tickets, read) {
            newestTransactions[ticket.id] = result.lastTransaction
            newest = max(newest, ticket.lastUpdated)
            if let thread = result.thread { threads.append(thread) }
        }

        // A search cut short resumes from where it stopped, not from the
        // newest ticket it happened to meet.
        var next = RequestTrackerCursor(watermark: stoppedAt ?? newest)
        if stoppedAt == nil {
            for ticket in tickets where ticket.lastUpdated == newest {
                next.boundary[ticket.id] = newestTransactions[ticket.id]
            }
        }
        return ConversationPoll(threads: threads, cursor: next.text)
    }

    /// What one ticket of a poll gave: its newest transaction id (for the
    /// cursor) and the thread to hand over, if it has anything new.
    struct TicketRead: Sendable {
        var lastTransaction: Int
        var thread: ConversationThread?
    }

    /// Each ticket read, in the order given, `ticketsReadAtOnce` at a time
    /// (a production RT serves requests in parallel; the Standalone server
    /// of the tests takes them in turn).
    private func readTickets(_ tickets: [SeenTicket], since start: RequestTrackerCursor) async throws(RequestTrackerError) -> [TicketRead] {
        do {
            return try await withThrowingTaskGroup(of: (Int, TicketRead).self) { group in
                var results = [TicketRead?](repeating: nil, count: tickets.count)
                var next = 0
                func launch() {
                    guard next < tickets.count else { return }
                    let index = next
                    let ticket = tickets[index]
                    next += 1
                    group.addTask { (index, try await self.read(ticket, since: start)) }
                }
                for _ in 0..<Self.ticketsReadAtOnce { launch() }
                while let (index, read) = try await group.next() {
                    results[index] = read
                    launch()
                }
                return results.map { $0! }
            }
        } catch let error as RequestTrackerError {
            throw error
        } catch {
            throw .noAnswer(server: rest.server, detail: "\(error)")
        }
    }

    private func read(_ ticket: SeenTicket, since start: RequestTrackerCursor) async throws(RequestTrackerError) -> TicketRead {
        let history = try await rest.all(RTTransactionItem.self, "/ticket/\(ticket.id)/history",
                                         query: [("fields", "Type,Creator,Created")], pageSize: settings.pageSize,
                                         rights: "ShowTicket and ShowTicketComments")
        let last = history.map(\.id.value).max() ?? 0
        // Already handed over: at the old watermark, no transaction since.
        if ticket.lastUpdated == start.watermark, let known = start.boundary[ticket.id], known >= last {
            return TicketRead(lastTransaction: last, thread: nil)
        }
        let texts = try await texts(ofTicket: ticket.id, history: history.filter { $0.carriesText && !isAgent($0) })
        guard !texts.isEmpty else { return TicketRead(lastTransaction: last, thread: nil) }
        return TicketRead(lastTransaction: last,
                          thread: ConversationThread(id: String(ticket.id), title: ticket.subject, texts: texts, seenAt: now()))
    }

    /// The tickets updated at or after `watermark`, oldest first, each
    /// once; and, when it stopped at `maxSearchPagesPerPoll` before its end,
    /// the time it had reached (nil: it reached the end).
    ///
    /// Pages are keyed by time, not only by number: after a full page the
    /// next asks from that page's last `LastUpdated` on, so a ticket
    /// updated while the poll pages (and moving to the end) cannot shift
    /// another out of sight. Only within one second are page numbers used.
    private func search(from watermark: Date, zone: TimeZone) async throws(RequestTrackerError) -> ([SeenTicket], Date?) {
        var seen: [SeenTicket] = []
        var index: [Int: Int] = [:]
        var bound = watermark
        var page = 1
        for _ in 0..<Self.maxSearchPagesPerPoll {
            let query = ticketSQL(since: bound, zone: zone)
            let answer: RTPage<RTTicketItem>
            do {
                answer = try await rest.get(RTPage<RTTicketItem>.self, "/tickets", query: [
                    ("query", query), ("fields", "Subject,LastUpdated"),
                    ("orderby", "LastUpdated"), ("order", "ASC"), ("orderby", "id"), ("order", "ASC"),
                    ("per_page", String(settings.pageSize)), ("page", String(page)),
                ], rights: "ShowTicket (and SeeQueue)")
            } catch .rejected(let server, _, 400, let message) {
                throw .badQuery(server: server, query: query, message: message)
            }
            for item in answer.items {
                guard let text = item.lastUpdated, let updated = RTTime.parse(text) else {
                    throw .unexpectedAnswer(server: rest.server, path: "/tickets",
                                            detail: "ticket \(item.id.value) without a LastUpdated time (got '\(item.lastUpdated ?? "nothing")')")
                }
                let ticket = SeenTicket(id: item.id.value, subject: item.subject, lastUpdated: updated)
                if let at = index[ticket.id] {
                    seen[at] = ticket
                } else {
                    index[ticket.id] = seen.count
                    seen.append(ticket)
                }
            }
            guard answer.items.count >= settings.pageSize, let last = answer.items.last?.lastUpdated.flatMap(RTTime.parse) else {
                return (Self.oldestFirst(seen), nil)
            }
            if last > bound {
                bound = last
                page = 1
            } else {
                page += 1
            }
        }
        return (Self.oldestFirst(seen), bound)
    }

    private static func oldestFirst(_ tickets: [SeenTicket]) -> [SeenTicket] {
        tickets.sorted { ($0.lastUpdated, $0.id) < ($1.lastUpdated, $1.id) }
    }

    /// `LastUpdated >= '…'` in the user's timezone, with the queue and the
    /// extra TicketSQL ANDed.
    func ticketSQL(since watermark: Date, zone: TimeZone) -> String {
        var clauses = ["LastUpdated >= '\(RTTime.ticketSQL(watermark, in: zone))'"]
        if let queue = settings.queue { clauses.append("Queue = '\(Self.quoted(queue))'") }
        if let extra = settings.extraQuery?.trimmingCharacters(in: .whitespacesAndNewlines), !extra.isEmpty {
            clauses.append("(\(extra))")
        }
        return clauses.joined(separator: " AND ")
    }

    /// One text per transaction of `history`: its HTML body when it has
    /// one (a mail's text/html alternative keeps the links), else its plain
    /// bodies joined. A quoted agent post is taken out (`QuotedAgentPost`).
    private func texts(ofTicket ticket: Int, history: [RTTransactionItem]) async throws(RequestTrackerError) -> [ConversationText] {
        guard !history.isEmpty else { return [] }
        let parts = try await bodies(ofTicket: ticket, transactions: Set(history.map(\.id.value)))
        var texts: [ConversationText] = []
        for transaction in history {
            let mine = parts.filter { $0.transaction == transaction.id.value }
            let html = mine.filter(\.isHTML)
            let chosen = html.isEmpty ? mine : [html[0]]
            guard !chosen.isEmpty else { continue }
            let markup: TextMarkup = html.isEmpty ? .plain : .html
            guard let body = QuotedAgentPost.remainder(of: chosen.map(\.text).joined(separator: "\n\n"), markup: markup) else { continue }
            texts.append(ConversationText(id: String(transaction.id.value), author: transaction.creator?.id ?? "",
                                          body: body, markup: markup,
                                          at: transaction.created.flatMap(RTTime.parse)))
        }
        return texts
    }

    /// The decoded bodies of `transactions` of a ticket, oldest first. One
    /// list of the ticket's attachments, then each body not read before
    /// (attachments never change, so they are remembered).
    private func bodies(ofTicket ticket: Int, transactions: Set<Int>) async throws(RequestTrackerError) -> [Body] {
        let listed = try await rest.all(RTAttachmentItem.self, "/ticket/\(ticket)/attachments",
                                        query: [("fields", "TransactionId,ContentType,Filename")], pageSize: settings.pageSize,
                                        rights: "ShowTicket and ShowTicketComments")
        var bodies: [Body] = []
        for item in listed where item.isBody {
            guard let transaction = item.transactionID?.value, transactions.contains(transaction) else { continue }
            let text: String
            if let known = await memory.body(item.id.value) {
                text = known
            } else {
                let path = "/attachment/\(item.id.value)"
                let attachment = try await rest.get(RTAttachment.self, path, rights: "ShowTicket and ShowTicketComments")
                guard let decoded = attachment.text else {
                    throw .unexpectedAnswer(server: rest.server, path: path, detail: "a Content that is not base64")
                }
                text = decoded
                await memory.remember(body: decoded, of: item.id.value)
            }
            bodies.append(Body(attachment: item.id.value, transaction: transaction, isHTML: item.isHTML, text: text))
        }
        return bodies.sorted { $0.attachment < $1.attachment }
    }

    private func isAgent(_ transaction: RTTransactionItem) -> Bool {
        transaction.creator?.id.lowercased() == settings.agentUser.lowercased()
    }

    /// The agent user's timezone, asked once: TicketSQL reads dates in it.
    /// An empty one is RT's `$Timezone`, which REST2 does not tell; UTC is
    /// assumed (docs/request-tracker.md: give the user UTC).
    private func userZone() async throws(RequestTrackerError) -> TimeZone {
        if let zone = await memory.zone { return zone }
        let path = "/user/\(Self.pathSegment(settings.agentUser))"
        let user: RTUser
        do {
            user = try await rest.get(RTUser.self, path, rights: "to see its own user record")
        } catch .rejected(_, _, 404, _) {
            throw .unknownUser(server: rest.server, user: settings.agentUser)
        }
        let named = user.timezone?.trimmingCharacters(in: .whitespaces) ?? ""
        let zone: TimeZone
        if named.isEmpty {
            zone = TimeZone(identifier: "UTC")!
        } else if let found = TimeZone(identifier: named) {
            zone = found
        } else {
            throw .badSettings(reason: "RT user '\(settings.agentUser)' has the timezone '\(named)', which this machine does not know; set the user's timezone to UTC in RT")
        }
        await memory.setZone(zone)
        return zone
    }

    // MARK: findPost and post

    public func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
        try await findPostTyped(marker: marker, in: thread)
    }

    /// `findPost` with its error typed: the newest comment or reply of the
    /// agent's user on the ticket whose body carries `marker`.
    public func findPostTyped(marker: String, in thread: ConversationThread) async throws(RequestTrackerError) -> String? {
        let ticket = try Self.ticket(thread.id)
        guard !marker.isEmpty else { throw .badSettings(reason: "an empty marker cannot be looked for") }
        let history: [RTTransactionItem]
        do {
            history = try await rest.all(RTTransactionItem.self, "/ticket/\(ticket)/history",
                                         query: [("fields", "Type,Creator,Created")], pageSize: settings.pageSize,
                                         rights: "ShowTicket and ShowTicketComments")
        } catch .rejected(_, _, 404, _) {
            throw .ticketNotFound(server: rest.server, ticket: thread.id)
        }
        // Every ticket has its Create transaction: no history at all is no such ticket.
        if history.isEmpty { try await requireTicket(ticket, thread: thread) }
        let mine = history.filter { $0.carriesText && isAgent($0) }
        guard !mine.isEmpty else { return nil }
        let bodies = try await bodies(ofTicket: ticket, transactions: Set(mine.map(\.id.value)))
        return bodies.last { Self.body($0.text, carries: marker) }.map { String($0.transaction) }
    }

    public func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
        try await postTyped(post, in: thread)
    }

    /// `post` with its error typed: a comment (or a reply) in text/html
    /// when the post has an HTML body and the settings ask for HTML, else
    /// text/plain; the new transaction's id.
    public func postTyped(_ post: RenderedPost, in thread: ConversationThread) async throws(RequestTrackerError) -> String {
        let ticket = try Self.ticket(thread.id)
        let html = settings.postMarkup == .html && post.markup == .html ? post.formatted : nil
        let content = html ?? post.plain
        let body: [String: String] = ["Content": content, "ContentType": html == nil ? "text/plain" : "text/html"]
        let json = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])).map { Array($0) } ?? []
        let path = "/ticket/\(ticket)/\(settings.postAs.rawValue)"
        let rights = settings.postAs == .comment ? "CommentOnTicket" : "ReplyToTicket"
        let response = try await rest.post(path, json: json, rights: rights)
        switch response.status {
        case 201:
            if let location = response.header("Location"), let id = Self.transactionID(location) { return String(id) }
            // RT added it but did not say where: the marker finds it.
            if let found = try await findPostTyped(marker: post.marker, in: thread) { return found }
            throw .unexpectedAnswer(server: rest.server, path: path, detail: "201 without a Location naming the new transaction")
        case 400, 404:
            // RT answers 400 "Message could not be recorded" for a ticket
            // that does not exist: tell that case apart.
            try await requireTicket(ticket, thread: thread)
            throw .rejected(server: rest.server, path: path, status: response.status, message: RequestTrackerREST.message(in: response))
        default:
            try rest.check(response, path: path, rights: rights)
            throw .unexpectedAnswer(server: rest.server, path: path, detail: "\(response.status) where 201 was expected: \(response.sketch)")
        }
    }

    /// Throws `ticketNotFound` unless RT shows the ticket to the user.
    private func requireTicket(_ ticket: Int, thread: ConversationThread) async throws(RequestTrackerError) {
        do {
            _ = try await rest.get(RTTicketItem.self, "/ticket/\(ticket)", rights: "ShowTicket")
        } catch .rejected(_, _, 404, _) {
            throw .ticketNotFound(server: rest.server, ticket: thread.id)
        }
    }

    // MARK: values

    struct SeenTicket: Sendable {
        var id: Int
        var subject: String?
        var lastUpdated: Date
    }

    struct Body: Sendable {
        var attachment: Int
        var transaction: Int
        var isHTML: Bool
        var text: String
    }

    static func body(_ text: String, carries marker: String) -> Bool {
        AnnotationMarker.text(text, carries: marker)
    }

    /// `…/transaction/37` → 37.
    static func transactionID(_ location: String) -> Int? {
        guard let last = location.split(separator: "/").last, last.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(last)
    }

    static func ticket(_ threadID: String) throws(RequestTrackerError) -> Int {
        guard !threadID.isEmpty, threadID.count <= 18, threadID.allSatisfy(\.isASCIIDigit), let number = Int(threadID), number > 0 else {
            throw .badSettings(reason: "'\(threadID.prefix(60))' is not an RT ticket number; an RT thread's id is the ticket's number (e.g. 123)")
        }
        return number
    }

    /// A TicketSQL string literal's inside: `\` and `'` escaped.
    static func quoted(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    static func pathSegment(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~@")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
