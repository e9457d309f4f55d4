import Annotation
import Foundation
import HTTPClient

/// A Jira Service Management site as a place where people write Call-IDs
/// and the agent answers with an internal comment. A thread is an issue
/// (its id is the issue key, `SUP-12`); its texts are the description and
/// the comments (ADF turned to text, `ADFText`) by anyone but the agent's
/// account.
///
/// Polling searches with `/rest/api/3/search/jql` on `updated` from a
/// watermark (see `JiraCursor`), oldest first, page by page
/// (`nextPageToken`). Posting goes through the service desk API, the
/// documented way to an internal comment (`public: false`). See
/// docs/jira.md.
public struct JiraBackend: ConversationBackend {
    public let name: String
    public let settings: Settings
    public var kind: ConversationKind { .tickets }
    public var postStyle: PostStyle {
        PostStyle(markup: .plain, maxCharacters: settings.maxPostCharacters
                  - (settings.postFormat == .noformat ? PostFormat.wrapperCharacters : 0))
    }
    public var pollInterval: Duration { settings.pollInterval }
    /// At most this many search pages in one poll; the watermark then
    /// stops where the poll did and the next one goes on.
    static let maxSearchPagesPerPoll = 20
    /// At most this many comment pages read for one issue or looked through by `findPost`.
    static let maxCommentPages = 200

    let rest: JiraREST
    private let memory = JiraAccountMemory()
    private let now: @Sendable () -> Date

    /// `now` is the clock the first poll's look-back counts from (and
    /// X-RateLimit-Reset waits are measured on); `sleep` waits them out.
    public init(settings: Settings, client: any HTTPSending, now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) throws(JiraError) {
        let site = try Self.site(settings.baseURL)
        try Self.validate(settings)
        self.settings = settings
        self.now = now
        name = settings.name
        rest = JiraREST(site: site, email: settings.email.trimmingCharacters(in: .whitespaces), token: settings.apiToken,
                        client: client, now: now, sleep: sleep)
    }

    // MARK: the account

    /// The agent's account, asked once.
    func account() async throws(JiraError) -> JiraAccount {
        if let known = await memory.account { return known }
        let me = try await rest.get(JiraMyself.self, "/rest/api/3/myself", needs: "a Jira product licence (it can log in but not use Jira)")
        let named = me.timeZone?.trimmingCharacters(in: .whitespaces) ?? ""
        let account = JiraAccount(accountID: me.accountId, zone: named.isEmpty ? nil : TimeZone(identifier: named))
        await memory.remember(account)
        return account
    }

    // MARK: poll

    public func poll(after cursor: String?) async throws -> ConversationPoll {
        try await pollTyped(after: cursor)
    }

    /// `poll` with its error typed.
    public func pollTyped(after cursor: String?) async throws(JiraError) -> ConversationPoll {
        let start = try cursor.map { text throws(JiraError) in try JiraCursor(parsing: text) }
            ?? JiraCursor(watermark: now().addingTimeInterval(-settings.firstPollLookBack.inSeconds))
        let me = try await account()
        let from = start.from
        let (issues, stoppedAt) = try await search(from: from, zone: me.zone)

        var threads: [ConversationThread] = []
        var seen: [(key: String, updated: Date)] = []
        for (issue, updated) in issues {
            // Before the overlap: a wider reading of the JQL date brought it.
            guard updated >= from else { continue }
            seen.append((issue.key, updated))
            if start.handed[issue.key] == JiraTime.milliseconds(updated) { continue }
            let texts: [ConversationText]
            do {
                texts = try await self.texts(of: issue, me: me)
            } catch .issueNotFound {
                // Deleted or moved out of sight since the search: nothing
                // to answer there, and no reason to hold up the others.
                continue
            }
            guard !texts.isEmpty else { continue }
            threads.append(ConversationThread(id: issue.key, title: issue.fields?.summary, texts: texts, seenAt: now()))
        }
        let newest = seen.map(\.updated).max().map { max($0, start.watermark) } ?? start.watermark
        var next = JiraCursor(watermark: stoppedAt ?? newest)
        let keepFrom = next.from
        for (key, updated) in seen where updated >= keepFrom && updated <= next.watermark {
            next.handed[key] = JiraTime.milliseconds(updated)
        }
        // Unchanged issues still in the overlap stay known.
        for (key, at) in start.handed where next.handed[key] == nil && Double(at) / 1000 >= keepFrom.timeIntervalSince1970 {
            if !seen.contains(where: { $0.key == key }) { next.handed[key] = at }
        }
        return ConversationPoll(threads: threads, cursor: next.text)
    }

    /// The issues updated from `from` on, oldest first, each once with its
    /// `updated`; and, when it stopped at `maxSearchPagesPerPoll` before
    /// the end, the `updated` it had reached (nil: it reached the end).
    func search(from: Date, zone: TimeZone?) async throws(JiraError) -> ([(JiraIssue, Date)], Date?) {
        let jql = JiraQuery.jql(from: from, zone: zone, project: settings.project, extra: settings.extraJQL)
        let path = "/rest/api/3/search/jql"
        var found: [(JiraIssue, Date)] = []
        var index: [String: Int] = [:]
        var token: String?
        for _ in 0..<Self.maxSearchPagesPerPoll {
            var query = [("jql", jql), ("fields", "summary,updated,description,reporter"), ("maxResults", String(settings.pageSize))]
            if let token { query.append(("nextPageToken", token)) }
            let page: JiraSearchPage
            do {
                page = try await rest.get(JiraSearchPage.self, path, query: query, needs: "Browse projects on the project")
            } catch .rejected(let site, _, 400, let message) {
                throw .badQuery(site: site, jql: jql, message: message)
            }
            for issue in page.issues ?? [] {
                _ = try JiraIssueKey.check(issue.key)
                guard let text = issue.fields?.updated, let updated = JiraTime.parse(text) else {
                    throw .unexpectedAnswer(site: rest.site, path: path,
                                            detail: "issue \(issue.key) without an updated time (got '\(issue.fields?.updated ?? "nothing")')")
                }
                if let at = index[issue.key] {
                    found[at] = (issue, updated)
                } else {
                    index[issue.key] = found.count
                    found.append((issue, updated))
                }
            }
            guard page.isLast != true, let next = page.nextPageToken, !next.isEmpty, !(page.issues ?? []).isEmpty else {
                return (Self.oldestFirst(found), nil)
            }
            token = next
        }
        // Cut short: resume from the newest seen; the overlap and `handed` take care of the rest.
        let sorted = Self.oldestFirst(found)
        return (sorted, sorted.last?.1)
    }

    private static func oldestFirst(_ issues: [(JiraIssue, Date)]) -> [(JiraIssue, Date)] {
        issues.sorted { ($0.1, $0.0.key) < ($1.1, $1.0.key) }
    }

    /// The description (when someone else wrote it) then every comment
    /// not by the agent, oldest first; a quoted agent post is taken out.
    func texts(of issue: JiraIssue, me: JiraAccount) async throws(JiraError) -> [ConversationText] {
        var texts: [ConversationText] = []
        if let description = issue.fields?.description, issue.fields?.reporter?.accountId != me.accountID {
            let body = ADFText.text(of: description)
            if let kept = QuotedAgentPost.remainder(of: body, markup: .plain), !kept.isEmpty {
                let author = issue.fields?.reporter.flatMap { $0.displayName ?? $0.accountId } ?? "reporter"
                texts.append(ConversationText(id: "\(issue.key)-description", author: author, body: kept, markup: .plain))
            }
        }
        for comment in try await comments(of: issue.key) where comment.author?.accountId != me.accountID {
            guard let body = comment.body.map(ADFText.text(of:)),
                  let kept = QuotedAgentPost.remainder(of: body, markup: .plain), !kept.isEmpty else { continue }
            let author = comment.author.flatMap { $0.displayName ?? $0.accountId } ?? "someone"
            texts.append(ConversationText(id: comment.id, author: author, body: kept, markup: .plain,
                                          at: comment.created.flatMap(JiraTime.parse)))
        }
        return texts
    }

    /// Every comment of the issue, oldest first, page by page by `startAt`
    /// until `total` (or a short or empty page: Jira may cap `maxResults`).
    func comments(of key: String) async throws(JiraError) -> [JiraComment] {
        let path = "/rest/api/3/issue/\(key)/comment"
        var all: [JiraComment] = []
        var startAt = 0
        for _ in 0..<Self.maxCommentPages {
            let page = try await rest.get(JiraCommentPage.self, path, query: [
                ("startAt", String(startAt)), ("maxResults", String(settings.pageSize)), ("orderBy", "created"),
            ], needs: "Browse projects on the issue's project", issue: key)
            let comments = page.comments ?? []
            all += comments
            startAt += comments.count
            if comments.isEmpty { break }
            if let total = page.total { if startAt >= total { break } } else if comments.count < settings.pageSize { break }
        }
        return all
    }

    // MARK: findPost and post

    public func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
        try await findPostTyped(marker: marker, in: thread)
    }

    /// `findPost` with its error typed: the agent's internal comment on
    /// the request whose body carries `marker`, through the service desk
    /// API (the comments it wrote, paged by `start`/`limit` until
    /// `isLastPage`).
    public func findPostTyped(marker: String, in thread: ConversationThread) async throws(JiraError) -> String? {
        let key = try JiraIssueKey.check(thread.id)
        guard !marker.isEmpty else { throw .badSettings(reason: "an empty marker cannot be looked for") }
        let me = try await account()
        let path = "/rest/servicedeskapi/request/\(key)/comment"
        var start = 0
        var found: String?
        for _ in 0..<Self.maxCommentPages {
            let page = try await rest.get(ServiceDeskCommentPage.self, path, query: [
                ("public", "false"), ("internal", "true"), ("start", String(start)), ("limit", String(settings.pageSize)),
            ], needs: "to be an agent of the issue's service desk", issue: key)
            let values = page.values ?? []
            for comment in values where comment.author?.accountId == nil || comment.author?.accountId == me.accountID {
                if let body = comment.body, Self.body(body, carries: marker) { found = comment.id.value }
            }
            start += values.count
            if page.isLastPage != false || values.isEmpty { break }
        }
        return found
    }

    public func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
        try await postTyped(post, in: thread)
    }

    /// `post` with its error typed: an internal comment (`public: false`)
    /// holding the plain text (wrapped as `postFormat` says); the new
    /// comment's id.
    public func postTyped(_ post: RenderedPost, in thread: ConversationThread) async throws(JiraError) -> String {
        let key = try JiraIssueKey.check(thread.id)
        let object: [String: Any] = ["body": settings.postFormat.body(post.plain), "public": false]
        let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) } ?? []
        let path = "/rest/servicedeskapi/request/\(key)/comment"
        let response = try await rest.post(path, json: json, needs: "to be an agent of the issue's service desk (Service Desk Team role)",
                                           issue: key)
        guard response.status == 201 || response.status == 200 else {
            throw .unexpectedAnswer(site: rest.site, path: path, detail: "\(response.status) where 201 was expected: \(response.sketch)")
        }
        if let created = try? JSONDecoder().decode(ServiceDeskComment.self, from: Data(response.body)) { return created.id.value }
        // Jira added it but did not say its id: the marker finds it.
        if let found = try await findPostTyped(marker: post.marker, in: thread) { return found }
        throw .unexpectedAnswer(site: rest.site, path: path, detail: "\(response.status) without the new comment's id: \(response.sketch)")
    }

    static func body(_ text: String, carries marker: String) -> Bool {
        AnnotationMarker.text(text, carries: marker)
    }
}
