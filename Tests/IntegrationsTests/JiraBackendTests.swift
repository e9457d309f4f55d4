import Annotation
import Foundation
import HTTPClient
@testable import Integrations
import Testing

/// The Jira back-end against jira.py, which answers as Jira Cloud and its
/// service desk API do (backends.md section 6): the bounded JQL search and
/// its paging, comments in ADF, internal comments posted and found again,
/// and the errors: 401, 404, 410, 429 with Retry-After or
/// X-RateLimit-Reset, 503, 5xx, a refused JQL.
@Suite struct JiraBackendTests {
    static let marker = "sipdiag:0123456789abcdef0123"

    func post(_ marker: String = JiraBackendTests.marker) -> RenderedPost {
        RenderedPost(plain: "Call 3b4c5d6f-603@192.168.1.50 failed: 603 Decline from the far end.\n\n\(marker)",
                     formatted: nil, markup: .plain, marker: marker)
    }

    func query(_ received: LocalServer.Received) -> [String: String] {
        let items = URLComponents(string: "http://x" + received.path)?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
    }

    @Test func pollHandsOverTheDescriptionAndOthersCommentsOfEachUpdatedIssue() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "Hello,\nour calls fail.\nCall-ID: 3b4c5d6f-603@192.168.1.50")
        try await site.comment("SUP-1", "Also Call-ID: 0c5d8e2f-403-cos@192.168.1.50")
        try await site.comment("SUP-1", "An earlier answer \(Self.marker)", author: ["accountId": JiraTestSite.agentAccount])
        try await site.comment("SUP-1", "Someone pasting the agent's post: \(Self.marker)", author: ["accountId": "bob"])
        try await site.issue("OPS-1", description: "other project")

        let poll = try await site.backend().pollTyped(after: nil)
        #expect(poll.threads.map(\.id) == ["SUP-1"])
        let thread = try #require(poll.threads.first)
        #expect(thread.title == "Calls failing")
        #expect(thread.texts.map(\.body) == ["Hello,\nour calls fail.\nCall-ID: 3b4c5d6f-603@192.168.1.50",
                                             "Also Call-ID: 0c5d8e2f-403-cos@192.168.1.50"])
        #expect(thread.texts.map(\.author) == ["Ana Customer", "Ana Customer"])
        #expect(poll.cursor != nil)

        let requests = try await site.received()
        #expect(requests.map { $0.path.split(separator: "?")[0] } == [
            "/rest/api/3/myself", "/rest/api/3/search/jql", "/rest/api/3/issue/SUP-1/comment"])
        let expected = "Basic " + Data("agent@example.net:\(JiraTestSite.token)".utf8).base64EncodedString()
        #expect(requests.allSatisfy { $0.headers["authorization"] == expected })
        let search = query(requests[1])
        let jql = try #require(search["jql"])
        #expect(jql.hasPrefix("project = \"SUP\" AND updated >= \""))
        #expect(jql.hasSuffix(" ORDER BY updated ASC, key ASC"))
        #expect(search["fields"] == "summary,updated,description,reporter")
    }

    /// Both readings of a JQL date (the profile's timezone, UTC) find an
    /// issue updated now and leave out one from before the look-back,
    /// whichever side of UTC the profile is on.
    @Test(arguments: [("America/New_York", "user"), ("America/New_York", "utc"), ("Pacific/Kiritimati", "user"),
                      ("Pacific/Kiritimati", "utc"), ("Asia/Kolkata", "user")])
    func theJQLDateFindsRecentIssuesWhicheverZoneJiraReadsItIn(zone: String, reading: String) async throws {
        let site = try JiraTestSite(timezone: zone, jqlZone: reading)
        try await site.issue("SUP-1", description: "Call-ID: a@b", age: 2 * 3600)
        try await site.issue("SUP-2", description: "Call-ID: c@d", age: 20 * 60)
        try await site.issue("SUP-3", description: "Call-ID: e@f")
        let poll = try await site.backend(lookBack: .seconds(3_600)).pollTyped(after: nil)
        #expect(poll.threads.map(\.id) == ["SUP-2", "SUP-3"], "\(zone) read as \(reading)")
    }

    @Test func searchPagesByNextPageTokenAndCommentsByStartAt() async throws {
        let site = try JiraTestSite(searchCap: 2, commentCap: 2)
        for n in 1...5 { try await site.issue("SUP-\(n)", description: "Call-ID: call-\(n)@host") }
        for n in 1...5 { try await site.comment("SUP-3", "comment \(n)") }
        let poll = try await site.backend(pageSize: 50).pollTyped(after: nil)
        #expect(poll.threads.map(\.id) == ["SUP-1", "SUP-2", "SUP-4", "SUP-5", "SUP-3"])
        #expect(poll.threads.last?.texts.count == 6)
        let requests = try await site.received()
        let searches = requests.filter { $0.path.hasPrefix("/rest/api/3/search/jql") }
        #expect(searches.count == 3)
        #expect(query(searches[0])["nextPageToken"] == nil && query(searches[1])["nextPageToken"] != nil)
        let commentPages = requests.filter { $0.path.hasPrefix("/rest/api/3/issue/SUP-3/comment") }.map { query($0)["startAt"] }
        #expect(commentPages == ["0", "2", "4"])
    }

    @Test func aLaterPollHandsOverOnlyIssuesThatChanged() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "Call-ID: a@b")
        try await site.issue("SUP-2", description: "Call-ID: c@d")
        let backend = try site.backend()
        let first = try await backend.pollTyped(after: nil)
        #expect(first.threads.map(\.id) == ["SUP-1", "SUP-2"])
        let second = try await backend.pollTyped(after: first.cursor)
        #expect(second.threads.isEmpty, "unchanged issues in the overlap are not handed over again")
        try await Task.sleep(for: .milliseconds(5))
        try await site.comment("SUP-1", "Now Call-ID: x@y")
        let third = try await backend.pollTyped(after: second.cursor)
        #expect(third.threads.map(\.id) == ["SUP-1"])
        #expect(third.threads.first?.texts.last?.body == "Now Call-ID: x@y")
        // A fresh back-end (a restart) on the stored cursor agrees.
        let restarted = try await site.backend().pollTyped(after: third.cursor)
        #expect(restarted.threads.isEmpty)
    }

    @Test func theAgentsOwnIssuesAndQuotedPostsAreNotReadAsRequests() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "Call-ID: a@b", reporter: ["accountId": JiraTestSite.agentAccount])
        let quote: [String: Any] = ["type": "doc", "version": 1, "content": [
            ["type": "paragraph", "content": [["type": "text", "text": "New one: Call-ID: n@m"]]],
            ["type": "blockquote", "content": [["type": "paragraph", "content": [
                ["type": "text", "text": "Call 3b4c@b failed \(Self.marker)"]]]]],
        ]]
        try await site.issue("SUP-2", description: "nothing here")
        try await site.comment("SUP-2", quote)
        let poll = try await site.backend().pollTyped(after: nil)
        #expect(poll.threads.map(\.id) == ["SUP-2"])
        #expect(poll.threads.first?.texts.map(\.body) == ["nothing here", "New one: Call-ID: n@m"])
    }

    @Test func postsAnInternalCommentThroughTheServiceDeskAPIAndFindsItAgain() async throws {
        let site = try JiraTestSite(commentCap: 2)
        try await site.issue("SUP-7", description: "Call-ID: 3b4c5d6f-603@192.168.1.50")
        for n in 1...3 { try await site.comment("SUP-7", "internal note \(n)", author: ["accountId": "colleague"], public: false) }
        let backend = try site.backend(pageSize: 2)
        let thread = ConversationThread(id: "SUP-7", texts: [])
        #expect(try await backend.findPostTyped(marker: Self.marker, in: thread) == nil)

        let id = try await backend.postTyped(post(), in: thread)
        let posted = try await site.agentComments("SUP-7")
        #expect(posted.map(\.id) == [id])
        #expect(posted.first?.public == false)
        let request = try #require(try await site.received().last { $0.method == "POST" })
        #expect(request.path == "/rest/servicedeskapi/request/SUP-7/comment")
        #expect(request.json["public"] as? Bool == false)
        let body = try #require(request.json["body"] as? String)
        #expect(body.hasPrefix("{noformat}\n") && body.hasSuffix("\n{noformat}") && body.contains(Self.marker))

        // Found on the third page of internal comments.
        #expect(try await backend.findPostTyped(marker: Self.marker, in: thread) == id)
        #expect(try await backend.findPostTyped(marker: "sipdiag:ffffffffffffffffffff", in: thread) == nil)
        let looks = try await site.received().filter { $0.method == "GET" && $0.path.hasPrefix("/rest/servicedeskapi/") }
        #expect(looks.allSatisfy { query($0)["public"] == "false" && query($0)["internal"] == "true" })
        #expect(looks.suffix(2).map { query($0)["start"] } == ["0", "2"])
    }

    @Test func thePostFormatWrapsTheTextOrLeavesIt() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "x")
        let text = "INVITE ---->| {noformat} inside\n\(Self.marker)"
        let post = RenderedPost(plain: text, formatted: nil, markup: .plain, marker: Self.marker)
        let thread = ConversationThread(id: "SUP-1", texts: [])
        _ = try await site.backend(postFormat: .plain).postTyped(post, in: thread)
        _ = try await site.backend(postFormat: .noformat).postTyped(post, in: thread)
        let bodies = try await site.received().filter { $0.method == "POST" }.compactMap { $0.json["body"] as? String }
        #expect(bodies == [text, "{noformat}\nINVITE ---->| { noformat} inside\n\(Self.marker)\n{noformat}"])
        #expect(try site.backend(postFormat: .noformat).postStyle.maxCharacters < site.backend(postFormat: .plain).postStyle.maxCharacters)
    }

    @Test func aWrongTokenIsRefusedWithWhatToCheckAndNeverShown() async throws {
        let site = try JiraTestSite()
        let wrong = "not-the-token-0000"
        let backend = try site.backend(token: wrong)
        do {
            _ = try await backend.pollTyped(after: nil)
            Issue.record("no error for a wrong token")
        } catch {
            guard case .credentialsRefused(_, let email, _) = error else { Issue.record("\(error)"); return }
            #expect(email == "agent@example.net" && error.description.contains("API token") && !error.description.contains(wrong))
        }
    }

    @Test func anIssueThatIsGoneIsNamed() async throws {
        let site = try JiraTestSite()
        let backend = try site.backend()
        await #expect(throws: JiraError.self) {
            _ = try await backend.postTyped(post(), in: ConversationThread(id: "SUP-404", texts: []))
        }
        do {
            _ = try await backend.findPostTyped(marker: Self.marker, in: ConversationThread(id: "SUP-404", texts: []))
            Issue.record("no error for a missing issue")
        } catch {
            guard case .issueNotFound(_, let key, _, _) = error else { Issue.record("\(error)"); return }
            #expect(key == "SUP-404")
        }
    }

    @Test func anIssueGoneBetweenTheSearchAndItsCommentsIsPassedOver() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "Call-ID: a@b")
        try await site.issue("SUP-2", description: "Call-ID: c@d")
        try await site.fail("/rest/api/3/issue/SUP-1/comment", status: 404)
        let poll = try await site.backend().pollTyped(after: nil)
        #expect(poll.threads.map(\.id) == ["SUP-2"])
    }

    @Test func aForbiddenPostSaysWhatTheAccountNeeds() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "x")
        try await site.fail("/rest/servicedeskapi/request/SUP-1/comment", status: 403, method: "POST")
        let backend = try site.backend()
        do {
            _ = try await backend.postTyped(post(), in: ConversationThread(id: "SUP-1", texts: []))
            Issue.record("no error for a 403")
        } catch {
            guard case .forbidden(_, _, let path, let needs, _) = error else { Issue.record("\(error)"); return }
            #expect(path == "/rest/servicedeskapi/request/SUP-1/comment" && needs.contains("agent of the issue's service desk"))
        }
        #expect(try await site.agentComments("SUP-1").isEmpty)
    }

    @Test func aRemovedEndpointIsNamedWhenJiraAnswers410() async throws {
        let site = try JiraTestSite()
        try await site.fail("/rest/api/3/search/jql", status: 410)
        let first = try site.backend()
        do {
            _ = try await first.pollTyped(after: nil)
            Issue.record("no error for a 410")
        } catch {
            guard case .endpointRemoved(_, let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == "/rest/api/3/search/jql")
            #expect(error.description.contains("/rest/api/3/search/jql") && error.description.contains("removed"))
        }
        // The old search answers 410 as Atlassian words it.
        let backend = try site.backend()
        do {
            _ = try await backend.rest.get(JiraSearchPage.self, "/rest/api/3/search", query: [("jql", "project = SUP")], needs: "")
            Issue.record("the old search did not answer 410")
        } catch {
            guard case .endpointRemoved(_, let path, let message) = error else { Issue.record("\(error)"); return }
            #expect(path == "/rest/api/3/search" && message.contains("CHANGE-2046"))
        }
    }

    @Test func a429WithRetryAfterIsWaitedOutByTheClient() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "Call-ID: a@b")
        try await site.fail("/rest/api/3/search/jql", status: 429, count: 2, headers: ["Retry-After": "1"])
        let poll = try await site.backend().pollTyped(after: nil)
        #expect(poll.threads.map(\.id) == ["SUP-1"])
        #expect(try await site.received().filter { $0.path.hasPrefix("/rest/api/3/search/jql") }.count == 3)
    }

    /// More 429s than the client's own attempts, with only
    /// X-RateLimit-Reset: the back-end waits until the reset, and again.
    @Test func a429WithOnlyXRateLimitResetIsWaitedUntilTheReset() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "Call-ID: a@b")
        try await site.fail("/rest/api/3/search/jql", status: 429, count: 6, resetIn: 1)
        let waits = JiraWaits()
        let poll = try await site.backend(sleep: { await waits.add($0) }).pollTyped(after: nil)
        #expect(poll.threads.map(\.id) == ["SUP-1"])
        let asked = await waits.all
        #expect(asked.count == 2, "three attempts of the client, three more, then the answer: \(asked)")
        #expect(asked.allSatisfy { $0 >= .milliseconds(1) && $0 <= .seconds(2) }, "\(asked)")
    }

    @Test func a429ResettingFarAheadGivesUpWithWhen() async throws {
        let site = try JiraTestSite()
        try await site.fail("/rest/api/3/myself", status: 429, count: 10, resetIn: 3_600)
        let waits = JiraWaits()
        let backend = try site.backend(sleep: { await waits.add($0) })
        do {
            _ = try await backend.pollTyped(after: nil)
            Issue.record("no error for a long rate limit")
        } catch {
            guard case .rateLimited(_, let path, let until) = error else { Issue.record("\(error)"); return }
            #expect(path == "/rest/api/3/myself" && until != nil)
        }
        #expect(await waits.all.isEmpty, "an hour is not waited out inside a poll")
    }

    @Test func a503WithRetryAfterOnThePostIsRetriedAndPostsOnce() async throws {
        let site = try JiraTestSite()
        try await site.issue("SUP-1", description: "x")
        try await site.fail("/rest/servicedeskapi/request/SUP-1/comment", status: 503, count: 1, method: "POST",
                            headers: ["Retry-After": "1"])
        let id = try await site.backend().postTyped(post(), in: ConversationThread(id: "SUP-1", texts: []))
        #expect(try await site.agentComments("SUP-1").map(\.id) == [id])
    }

    @Test func a500ThatLastsIsAServerError() async throws {
        let site = try JiraTestSite()
        try await site.fail("/rest/api/3/search/jql", status: 500, count: 10)
        let backend = try site.backend()
        do {
            _ = try await backend.pollTyped(after: nil)
            Issue.record("no error for 500s")
        } catch {
            guard case .serverError(_, _, 500, _) = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func aRefusedJQLNamesTheQueryAndJirasWords() async throws {
        let site = try JiraTestSite()
        let backend = try site.backend(extraJQL: "nosuchfield = 1")
        do {
            _ = try await backend.pollTyped(after: nil)
            Issue.record("no error for bad JQL")
        } catch {
            guard case .badQuery(_, let jql, let message) = error else { Issue.record("\(error)"); return }
            #expect(jql.contains("(nosuchfield = 1)") && message.contains("does not exist"))
        }
    }

    @Test func settingsThatCannotWorkAreRefusedSayingWhatToWrite() throws {
        func refusal(_ change: (inout JiraBackend.Settings) -> Void) -> String? {
            var settings = JiraBackend.Settings(baseURL: "https://example.atlassian.net", email: "a@example.net",
                                                apiToken: ResolvedSecret("t"))
            change(&settings)
            do {
                _ = try JiraBackend(settings: settings, client: TestClient.curl)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal { _ in } == nil)
        #expect(refusal { $0.baseURL = "example.atlassian.net" }?.contains("https://") == true)
        #expect(refusal { $0.baseURL = "https://me:pw@example.atlassian.net" }?.contains("token_env") == true)
        #expect(refusal { $0.apiToken = ResolvedSecret(" ") }?.contains("empty") == true)
        #expect(refusal { $0.email = "agent" }?.contains("e-mail") == true)
        #expect(refusal { $0.project = "Support desk" }?.contains("project key") == true)
        #expect(refusal { $0.pageSize = 500 }?.contains("100") == true)
        #expect(refusal { $0.maxPostCharacters = 40_000 }?.contains("32767") == true)
        #expect(refusal { $0.extraJQL = "status != Done ORDER BY created" }?.contains("ORDER BY") == true)
    }

    @Test func aThreadIDThatIsNoIssueKeyIsRefusedBeforeAnyRequest() async throws {
        let site = try JiraTestSite()
        let backend = try site.backend()
        for bad in ["", "SUP", "SUP-", "../SUP-1", "SUP-1/comment", "sup 1"] {
            await #expect(throws: JiraError.self) {
                _ = try await backend.postTyped(post(), in: ConversationThread(id: bad, texts: []))
            }
        }
        #expect(try await site.received().isEmpty)
    }
}

/// The waits a back-end asked for, for tests that do not wait.
actor JiraWaits {
    private(set) var all: [Duration] = []
    func add(_ wait: Duration) { all.append(wait) }
}
