import Annotation
import Foundation
import HTTPClient
import Integrations
import Testing

/// The Zendesk back-end against zendesk.py, which answers as the Support
/// API documents (backends.md section 5): the cursor-based incremental
/// export page by page to end_of_stream, its 10-a-minute limit, comments
/// in both paginations, the private comment's PUT, and the errors.
@Suite struct ZendeskBackendTests {
    static let callID = "3b4c5d6f-603@192.168.1.50"

    func post(marker: String = AnnotationMarker(backend: "zendesk-test", thread: "101", callIDs: [ZendeskBackendTests.callID], engineVersion: 1).text) -> RenderedPost {
        RenderedPost(plain: "Call \(Self.callID): 486 Busy Here from the callee.\n\(marker)",
                     formatted: "<p>Call <code>\(Self.callID)</code>: 486 Busy Here from the callee.</p><p>\(marker)</p>",
                     markup: .html, marker: marker)
    }

    func exportRequests(_ server: ZendeskTestServer) async throws -> [LocalServer.Received] {
        try await server.received().filter { $0.path.hasPrefix("/api/v2/incremental/") }
    }

    // MARK: polling

    @Test func theFirstPollStartsAnHourBackAndLaterOnesFromTheStoredCursor() async throws {
        let server = try ZendeskTestServer()
        let ticket = try await server.ticket(["Hello,\nour calls fail.\nCall-ID: \(Self.callID)"], subject: "Calls to 2002 fail")
        let now = Date()
        let zendesk = try server.backend(now: { now })

        let first = try await zendesk.poll(after: nil)
        #expect(first.threads.map(\.id) == [String(ticket)])
        #expect(first.threads.first?.title == "Calls to 2002 fail")
        #expect(first.threads.first?.texts.map(\.author) == [String(ZendeskTestServer.customerID)])
        #expect(first.threads.first?.texts.first?.markup == .html, "html_body is read when the API gives it")
        #expect(first.threads.first?.texts.first?.body.contains(Self.callID) == true)
        let cursor = try #require(first.cursor)

        var exports = try await exportRequests(server)
        #expect(exports.map(\.path) == ["/api/v2/incremental/tickets/cursor.json?start_time=\(Int64(now.timeIntervalSince1970) - 3600)"])
        let auth = try #require(exports.first?.headers["authorization"])
        #expect(auth == "Basic " + Data("\(ZendeskTestServer.email)/token:\(ZendeskTestServer.token)".utf8).base64EncodedString())

        // Nothing changed: nothing handed over, the cursor asked for.
        let second = try await zendesk.poll(after: cursor)
        #expect(second.threads.isEmpty)
        exports = try await exportRequests(server)
        #expect(exports.last?.path == "/api/v2/incremental/tickets/cursor.json?cursor=\(cursor)")

        // A new comment moves the ticket past the cursor: the whole ticket again.
        try await server.comment(on: ticket, "Also Call-ID: 0c5d8e2f-403-cos@192.168.1.50")
        let third = try await zendesk.poll(after: second.cursor ?? cursor)
        #expect(third.threads.map(\.id) == [String(ticket)])
        #expect(third.threads.first?.texts.count == 2)
        #expect(third.threads.first?.texts.last?.body.contains("0c5d8e2f-403-cos") == true)
    }

    @Test func aLookBackUnderAMinuteStillStartsAMinuteBack() async throws {
        let server = try ZendeskTestServer()
        let now = Date()
        let zendesk = try ZendeskBackend(settings: ZendeskBackend.Settings(
            baseURL: server.base, email: ZendeskTestServer.email, token: ResolvedSecret(ZendeskTestServer.token),
            firstPollLookBack: .seconds(5), name: "zendesk-test"), client: server.client, now: { now })
        _ = try await zendesk.poll(after: nil)
        let exports = try await exportRequests(server)
        #expect(exports.map(\.path) == ["/api/v2/incremental/tickets/cursor.json?start_time=\(Int64(now.timeIntervalSince1970) - 60)"])
    }

    @Test func theExportIsFollowedPageByPageToEndOfStream() async throws {
        let server = try ZendeskTestServer()
        try await server.set(["export_page_size": 2])
        var tickets: [Int] = []
        for n in 0..<5 { tickets.append(try await server.ticket(["Call-ID: call-\(n)@10.0.0.1"], age: 200 - n)) }
        let zendesk = try server.backend()
        let poll = try await zendesk.poll(after: nil)
        #expect(poll.threads.map(\.id) == tickets.map(String.init), "every ticket once, oldest first")
        let exports = try await exportRequests(server)
        #expect(exports.count == 3)
        #expect(exports.dropFirst().allSatisfy { $0.path.contains("?cursor=") })
        // The cursor kept is the last page's: nothing more after it.
        let again = try await zendesk.poll(after: poll.cursor)
        #expect(again.threads.isEmpty)
    }

    @Test func aPollStopsAtItsPageLimitAndTheNextGoesOnFromThere() async throws {
        let server = try ZendeskTestServer()
        try await server.set(["export_page_size": 1])
        var tickets: [Int] = []
        for n in 0..<3 { tickets.append(try await server.ticket(["Call-ID: call-\(n)@10.0.0.1"], age: 200 - n)) }
        let zendesk = try server.backend(maxPages: 2)
        let first = try await zendesk.poll(after: nil)
        #expect(first.threads.map(\.id) == tickets.prefix(2).map(String.init))
        let second = try await zendesk.poll(after: first.cursor)
        #expect(second.threads.map(\.id) == [String(tickets[2])])
    }

    @Test func theExportBudgetIsKeptSoTheServerNeverRefuses() async throws {
        // The server allows 3 export requests in 2 s, as Zendesk allows 10 a minute.
        let server = try ZendeskTestServer(exportLimit: 3, exportWindow: 2)
        try await server.set(["export_page_size": 1])
        for n in 0..<5 { try await server.ticket(["Call-ID: call-\(n)@10.0.0.1"], age: 200 - n) }
        let zendesk = try server.backend(exportLimit: ZendeskBackend.RequestBudget(count: 3, window: .seconds(2)), maxPages: 10)
        let poll = try await zendesk.poll(after: nil)
        #expect(poll.threads.count == 5)
        #expect(try await exportRequests(server).count == 5)
        #expect(try await server.exportRefusals() == 0, "the back-end waited for the budget instead of running into 429")
    }

    @Test func anExport429IsWaitedOutByItsRetryAfter() async throws {
        let server = try ZendeskTestServer()
        let ticket = try await server.ticket(["Call-ID: \(Self.callID)"])
        try await server.fail("/api/v2/incremental/", status: 429, retryAfter: 1)
        let poll = try await server.backend().poll(after: nil)
        #expect(poll.threads.map(\.id) == [String(ticket)])
        #expect(try await exportRequests(server).count == 2, "refused once, asked again after the Retry-After")
    }

    @Test func theServersExportLimitIsA429WithRetryAfter() async throws {
        // One export request per 120 s at the server: its Retry-After is
        // longer than the HTTP client waits, so the refusal reaches the back-end.
        let server = try ZendeskTestServer(exportLimit: 1, exportWindow: 120)
        let zendesk = try server.backend()
        let first = try await zendesk.poll(after: nil)
        do {
            _ = try await zendesk.poll(after: first.cursor)
            Issue.record("the second export request in the window must be refused")
        } catch let error as ZendeskError {
            guard case .rateLimited(_, let path, let retryAfter) = error else { Issue.record("\(error)"); return }
            #expect(path == "/api/v2/incremental/tickets/cursor.json")
            #expect(retryAfter.flatMap { Int($0) }.map { (60...120).contains($0) } == true, "Retry-After: \(retryAfter ?? "none")")
        }
        #expect(try await server.exportRefusals() == 1)
    }

    @Test func ownCommentsAreSkippedByAuthorAndByMarker() async throws {
        let server = try ZendeskTestServer()
        let marker = AnnotationMarker(backend: "zendesk-test", thread: "x", callIDs: ["a@b"], engineVersion: 1).text
        let mixed = try await server.ticket(["Call-ID: \(Self.callID)"])
        try await server.comment(on: mixed, "Diagnosis by the agent, no marker", author: ZendeskTestServer.agentID)
        try await server.comment(on: mixed, "Forwarded by a person: 486 Busy\n\(marker)")
        let agentsOnly = try await server.ticket(["Only the agent wrote here"], author: ZendeskTestServer.agentID)
        let zendesk = try server.backend()
        let poll = try await zendesk.poll(after: nil)
        #expect(poll.threads.map(\.id) == [String(mixed)], "ticket \(agentsOnly) has nothing by anyone else")
        #expect(poll.threads.first?.texts.count == 1)
        #expect(poll.threads.first?.texts.first?.body.contains(Self.callID) == true)
    }

    @Test func deletedAndClosedTicketsAreSkipped() async throws {
        let server = try ZendeskTestServer()
        let deleted = try await server.ticket(["Call-ID: gone@10.0.0.1"], status: "deleted")
        let closed = try await server.ticket(["Call-ID: done@10.0.0.1"], status: "closed")
        let kept = try await server.ticket(["Call-ID: \(Self.callID)"], status: "solved")
        let zendesk = try server.backend()
        let poll = try await zendesk.poll(after: nil)
        #expect(poll.threads.map(\.id) == [String(kept)])
        let asked = try await server.received().map(\.path)
        for skipped in [deleted, closed] {
            #expect(!asked.contains { $0.hasPrefix("/api/v2/tickets/\(skipped)/") }, "ticket \(skipped)'s comments are not asked for")
        }
    }

    @Test func aTicketGoneBetweenTheExportAndItsCommentsIsSkipped() async throws {
        let server = try ZendeskTestServer()
        let gone = try await server.ticket(["Call-ID: gone@10.0.0.1"])
        let kept = try await server.ticket(["Call-ID: \(Self.callID)"])
        try await server.fail("/api/v2/tickets/\(gone)/comments", status: 404)
        let poll = try await server.backend().poll(after: nil)
        #expect(poll.threads.map(\.id) == [String(kept)])
        #expect(poll.cursor != nil)
    }

    @Test(arguments: ["cursor", "offset"])
    func commentsAreReadAcrossPagesInEitherPagination(mode: String) async throws {
        let server = try ZendeskTestServer()
        try await server.set(["comments_pagination": mode, "comment_page_cap": 2])
        let ticket = try await server.ticket((0..<5).map { "comment \($0) Call-ID: c\($0)@10.0.0.1" })
        let zendesk = try server.backend()
        let poll = try await zendesk.poll(after: nil)
        let texts = try #require(poll.threads.first?.texts)
        #expect(texts.count == 5)
        for (n, text) in texts.enumerated() { #expect(text.body.contains("comment \(n) ")) }
        let pages = try await server.received().filter { $0.path.hasPrefix("/api/v2/tickets/\(ticket)/comments") }
        #expect(pages.count == 3)
        if mode == "cursor" {
            #expect(pages.dropFirst().allSatisfy { $0.path.contains("page%5Bafter%5D=") })
        } else {
            #expect(pages.dropFirst().allSatisfy { $0.path.contains("page=") && !$0.path.contains("page%5Bafter%5D") })
        }
    }

    @Test func withoutHTMLBodiesThePlainBodyIsRead() async throws {
        let server = try ZendeskTestServer()
        try await server.set(["html_body": false])
        try await server.ticket(["Call-ID: \(Self.callID)"])
        let poll = try await server.backend().poll(after: nil)
        let text = try #require(poll.threads.first?.texts.first)
        #expect(text.markup == .plain)
        #expect(text.body == "Call-ID: \(Self.callID)")
    }

    // MARK: posting

    @Test func aPostIsAPrivateHTMLCommentFoundAgainByItsMarker() async throws {
        let server = try ZendeskTestServer()
        let ticket = try await server.ticket(["Call-ID: \(Self.callID)"])
        let zendesk = try server.backend()
        let thread = ConversationThread(id: String(ticket), texts: [])
        let rendered = post()
        #expect(try await zendesk.findPost(marker: rendered.marker, in: thread) == nil)

        let id = try await zendesk.post(rendered, in: thread, idempotencyKey: "k")
        let mine = try await server.agentComments(ticket)
        #expect(mine.count == 1)
        #expect(mine.first?["id"] as? Int == Int(id))
        #expect(mine.first?["public"] as? Bool == false)

        let put = try #require(try await server.received().first { $0.method == "PUT" })
        #expect(put.path == "/api/v2/tickets/\(ticket).json")
        #expect(put.headers["content-type"] == "application/json")
        let comment = (put.json["ticket"] as? [String: Any])?["comment"] as? [String: Any]
        #expect(comment?["public"] as? Bool == false)
        #expect((comment?["html_body"] as? String)?.contains("<code>\(Self.callID)</code>") == true)
        #expect(comment?["body"] == nil)

        #expect(try await zendesk.findPost(marker: rendered.marker, in: thread) == id)
        let other = AnnotationMarker(backend: "zendesk-test", thread: "101", callIDs: ["other@x"], engineVersion: 1).text
        #expect(try await zendesk.findPost(marker: other, in: thread) == nil)
        // The agent's own comment is never read back as someone's text
        // (the server told to export what changed this very minute).
        try await server.set(["recent_seconds": 0])
        let poll = try await zendesk.poll(after: nil)
        #expect(poll.threads.map(\.id) == [String(ticket)])
        #expect(poll.threads.first?.texts.count == 1)
    }

    @Test func plainMarkupPostsTheBody() async throws {
        let server = try ZendeskTestServer()
        let ticket = try await server.ticket(["Call-ID: \(Self.callID)"])
        let zendesk = try server.backend(markup: .plain)
        _ = try await zendesk.post(post(), in: ConversationThread(id: String(ticket), texts: []), idempotencyKey: "k")
        let put = try #require(try await server.received().first { $0.method == "PUT" })
        let comment = (put.json["ticket"] as? [String: Any])?["comment"] as? [String: Any]
        #expect((comment?["body"] as? String)?.hasPrefix("Call \(Self.callID): 486") == true)
        #expect(comment?["html_body"] == nil)
        #expect(comment?["public"] as? Bool == false)
    }

    @Test func aServerErrorOnThePostIsNotRepeated() async throws {
        let server = try ZendeskTestServer()
        let ticket = try await server.ticket(["Call-ID: \(Self.callID)"])
        try await server.fail("/api/v2/tickets/\(ticket).json", status: 500, method: "PUT")
        let zendesk = try server.backend()
        await #expect(throws: ZendeskError.self) {
            _ = try await zendesk.post(post(), in: ConversationThread(id: String(ticket), texts: []), idempotencyKey: "k")
        }
        let puts = try await server.received().filter { $0.method == "PUT" }
        #expect(puts.count == 1, "a PUT adding a comment may have acted: the agent's findPost decides, not a blind retry")
    }

    @Test func aPostRefusedWith429IsRetriedAfterItsRetryAfter() async throws {
        let server = try ZendeskTestServer()
        let ticket = try await server.ticket(["Call-ID: \(Self.callID)"])
        try await server.fail("/api/v2/tickets/\(ticket).json", status: 429, method: "PUT", retryAfter: 1)
        let zendesk = try server.backend()
        _ = try await zendesk.post(post(), in: ConversationThread(id: String(ticket), texts: []), idempotencyKey: "k")
        #expect(try await server.agentComments(ticket).count == 1)
        #expect(try await server.received().filter { $0.method == "PUT" }.count == 2)
    }

    // MARK: errors

    @Test func aWrongTokenIsNamedWithoutTheToken() async throws {
        let server = try ZendeskTestServer()
        let wrong = "wrong-token-7f7f7f"
        let zendesk = try server.backend(token: wrong)
        do {
            _ = try await zendesk.poll(after: nil)
            Issue.record("a refused token must fail the poll")
        } catch let error as ZendeskError {
            guard case .credentialsRefused(_, let email, _) = error else { Issue.record("\(error)"); return }
            #expect(email == ZendeskTestServer.email)
            #expect(!"\(error)".contains(wrong))
            #expect("\(error)".contains("API token"))
        }
    }

    @Test func anExportRefusedWith403SaysTheUserMustBeAnAdmin() async throws {
        let server = try ZendeskTestServer()
        try await server.fail("/api/v2/incremental/", status: 403)
        do {
            _ = try await server.backend().poll(after: nil)
            Issue.record("403 must fail the poll")
        } catch let error as ZendeskError {
            guard case .forbidden = error else { Issue.record("\(error)"); return }
            #expect("\(error)".contains("admin"))
        }
    }

    @Test func persistentServerErrorsFailThePollNamingTheStatus() async throws {
        let server = try ZendeskTestServer()
        try await server.ticket(["Call-ID: \(Self.callID)"])
        try await server.fail("/api/v2/tickets/", status: 502, count: 10)
        do {
            _ = try await server.backend().poll(after: nil)
            Issue.record("502s must fail the poll")
        } catch let error as ZendeskError {
            guard case .serverError(_, _, 502, _) = error else { Issue.record("\(error)"); return }
        }
        // The HTTP client tried three times (a GET may be repeated).
        #expect(try await server.received().filter { $0.path.hasPrefix("/api/v2/tickets/") }.count == 3)
    }

    @Test func aLongRetryAfterIsReportedAsRateLimited() async throws {
        let server = try ZendeskTestServer()
        try await server.fail("/api/v2/incremental/", status: 429, retryAfter: 600)
        do {
            _ = try await server.backend().poll(after: nil)
            Issue.record("429 with Retry-After 600 must fail the poll")
        } catch let error as ZendeskError {
            #expect(error == .rateLimited(server: server.base, path: "/api/v2/incremental/tickets/cursor.json", retryAfter: "600"))
        }
    }

    @Test func aCursorTheExportRefusesIsNamed() async throws {
        let server = try ZendeskTestServer()
        do {
            _ = try await server.backend().poll(after: "not-a-cursor")
            Issue.record("a refused cursor must fail the poll")
        } catch let error as ZendeskError {
            guard case .badCursor(_, let cursor, _) = error else { Issue.record("\(error)"); return }
            #expect(cursor == "not-a-cursor")
            #expect("\(error)".contains("remove the back-end's cursor"))
        }
    }

    @Test func postingToAMissingTicketIsTicketNotFound() async throws {
        let server = try ZendeskTestServer()
        let zendesk = try server.backend()
        let thread = ConversationThread(id: "4242", texts: [])
        await #expect(throws: ZendeskError.ticketNotFound(server: server.base, ticket: "4242")) {
            _ = try await zendesk.post(post(), in: thread, idempotencyKey: "k")
        }
        await #expect(throws: ZendeskError.ticketNotFound(server: server.base, ticket: "4242")) {
            _ = try await zendesk.findPost(marker: "sipdiag:0123456789abcdef0123", in: thread)
        }
    }

    @Test(arguments: [("closed", "Status: closed prevents ticket update"), ("full", "comment limit")])
    func aCommentZendeskRefusesIs422WithItsReason(kind: String, reason: String) async throws {
        let server = try ZendeskTestServer()
        let ticket = try await server.ticket(["Call-ID: \(Self.callID)"], status: kind == "closed" ? "closed" : "open")
        if kind == "full" { try await server.set(["max_comments": 1]) }
        do {
            _ = try await server.backend().post(post(), in: ConversationThread(id: String(ticket), texts: []), idempotencyKey: "k")
            Issue.record("422 must fail the post")
        } catch let error as ZendeskError {
            guard case .commentRefused(_, let id, let message) = error else { Issue.record("\(error)"); return }
            #expect(id == String(ticket))
            #expect(message.contains(reason))
            #expect("\(error)".contains("5,000 comments"))
        }
        #expect(try await server.agentComments(ticket).isEmpty)
    }

    @Test func aThreadThatIsNoTicketNumberIsRefused() async throws {
        let server = try ZendeskTestServer()
        await #expect(throws: ZendeskError.self) {
            _ = try await server.backend().post(post(), in: ConversationThread(id: "../users/1", texts: []), idempotencyKey: "k")
        }
        #expect(try await server.received().isEmpty)
    }

    @Test func badSettingsAreRefusedSayingWhatToWrite() throws {
        func settings(url: String = "https://acme.zendesk.com", email: String = "a@acme.example", token: String = "t") -> ZendeskBackend.Settings {
            ZendeskBackend.Settings(baseURL: url, email: email, token: ResolvedSecret(token))
        }
        let client = TestClient.curl
        #expect(throws: ZendeskError.self) { try ZendeskBackend(settings: settings(url: "acme.zendesk.com"), client: client) }
        #expect(throws: ZendeskError.self) { try ZendeskBackend(settings: settings(url: "https://me:pw@acme.zendesk.com"), client: client) }
        #expect(throws: ZendeskError.self) { try ZendeskBackend(settings: settings(email: "agent"), client: client) }
        #expect(throws: ZendeskError.self) { try ZendeskBackend(settings: settings(email: "a@acme.example/token"), client: client) }
        #expect(throws: ZendeskError.self) { try ZendeskBackend(settings: settings(token: " "), client: client) }
        #expect(throws: ZendeskError.self) { try ZendeskBackend(settings: settings(token: "a\nb"), client: client) }
        // The API's path is taken off: the account's address is what counts.
        let zendesk = try ZendeskBackend(settings: settings(url: "https://acme.zendesk.com/api/v2/"), client: client)
        #expect(zendesk.kind == .tickets)
        #expect(zendesk.postStyle.markup == .html)
    }
}
