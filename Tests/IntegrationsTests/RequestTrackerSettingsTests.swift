import Annotation
import Foundation
import HTTPClient
import Integrations
import Testing

/// What the RT back-end refuses before it asks RT anything, and the cursor
/// it stores; no server needed.
@Suite struct RequestTrackerSettingsTests {
    static func settings(_ url: String = "http://rt.example/rt") -> RequestTrackerBackend.Settings {
        RequestTrackerBackend.Settings(baseURL: url, token: ResolvedSecret("1-27-abcdef"), agentUser: "agent")
    }

    static func refusal(_ settings: RequestTrackerBackend.Settings) -> String? {
        do {
            _ = try RequestTrackerBackend(settings: settings, client: TestClient.curl)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func acceptsAnRTAddressWithOrWithoutRESTSuffix() throws {
        for url in ["http://rt.example/rt", "http://rt.example/rt/", "https://rt.example/rt/REST/2.0/", "http://127.0.0.1:8080"] {
            #expect(Self.refusal(Self.settings(url)) == nil, "\(url)")
        }
    }

    @Test func refusesWhatCannotBeAnRTAddress() {
        #expect(Self.refusal(Self.settings("rt.example/rt"))?.contains("not an http:// or https:// address") == true)
        #expect(Self.refusal(Self.settings("http://agent:pw@rt.example/rt"))?.contains("names a user in the address") == true)
        #expect(Self.refusal(Self.settings("http://rt.example/rt?x=1"))?.contains("has a query or fragment") == true)
        #expect(Self.refusal(Self.settings("http:///rt"))?.contains("names no host") == true)
    }

    @Test func refusesSettingsThatCannotWork() {
        var s = Self.settings()
        s.pageSize = 101
        #expect(Self.refusal(s)?.contains("page_size must be between 1 and 100") == true)
        s = Self.settings()
        s.token = ResolvedSecret("  ")
        #expect(Self.refusal(s)?.contains("the token is empty") == true)
        s = Self.settings()
        s.token = ResolvedSecret("1-2-abc\n")
        #expect(Self.refusal(s)?.contains("line break") == true)
        #expect(Self.refusal(s)?.contains("abc") == false)
        s = Self.settings()
        s.agentUser = ""
        #expect(Self.refusal(s)?.contains("agent_user is empty") == true)
        s = Self.settings()
        s.postMarkup = .markdown
        #expect(Self.refusal(s)?.contains("set markup to html or plain") == true)
        s = Self.settings()
        s.maxPostCharacters = 10
        #expect(Self.refusal(s)?.contains("max_post_characters must be at least") == true)
        s = Self.settings()
        s.pollInterval = .zero
        #expect(Self.refusal(s)?.contains("poll_interval must be longer than zero") == true)
        s = Self.settings()
        s.queue = " "
        #expect(Self.refusal(s)?.contains("queue") == true)
    }

    @Test func theStyleFollowsTheSettings() throws {
        var s = Self.settings()
        s.postMarkup = .plain
        s.maxPostCharacters = 5_000
        let backend = try RequestTrackerBackend(settings: s, client: TestClient.curl)
        #expect(backend.postStyle == PostStyle(markup: .plain, maxCharacters: 5_000))
        #expect(backend.kind == .tickets)
        #expect(backend.name == "rt")
    }

    @Test func aCursorThatIsNoTimeIsRefusedSayingWhatToDo() async throws {
        let backend = try RequestTrackerBackend(settings: Self.settings("http://127.0.0.1:9/rt"), client: TestClient.curl)
        for cursor in ["yesterday", "2026-12-02 13:50:47", "2026-12-02T13:50:47Z 12-5", "2026-13-02T13:50:47Z"] {
            let error = await thrown { try await backend.poll(after: cursor) }
            #expect(error as? RequestTrackerError == .badCursor(cursor: cursor), "\(cursor)")
            #expect("\(error!)".contains("remove it from the store"))
        }
    }

    @Test func aTicketNumberIsTheOnlyThreadIDPostAccepts() async throws {
        let backend = try RequestTrackerBackend(settings: Self.settings("http://127.0.0.1:9/rt"), client: TestClient.curl)
        for id in ["", "ticket-12", "12;DROP", "-3", "0"] {
            let error = await thrown {
                try await backend.post(RenderedPost(plain: "x", formatted: nil, markup: .plain, marker: "m"),
                                       in: ConversationThread(id: id, texts: []), idempotencyKey: "m")
            }
            #expect("\(error!)".contains("is not an RT ticket number"), "\(id)")
        }
    }

    @Test func theSecretNeverPrints() throws {
        let s = Self.settings()
        #expect(!"\(s)".contains("abcdef"))
        #expect(!String(reflecting: s).contains("abcdef"))
    }
}
