import Foundation
import HTTPClient
import Integrations
import Testing
import TestSupport
import TraceFormats

/// The Homer 7 source against homer7.py, which answers as homer-app does
/// (backends.md section 7): login, search by sid, pcap export with the
/// legs, token expiry, bad credentials, unknown nodes, server errors.
@Suite struct HomerSourceTests {
    static let password = "s3cret-Homer-pw"
    /// An hour after the call: inside the default day of look-back.
    static let now = SourceFixtures.callStart + 3600

    /// A Homer holding the two-call capture on node localnode, its B legs
    /// correlated to their A leg by X-Call-ID (heplify-server's AlegIDs).
    final class Homer {
        let scratch: Scratch
        let server: LocalServer
        let client: any HTTPSending = TestClient.curl

        init(nodes: [String] = ["localnode"]) throws {
            scratch = try Scratch()
            let capture = try scratch.write("homer-db.pcap", SourceFixtures.pcap())
            server = try LocalServer("homer7.py", ["--capture", capture, "--user", "admin:" + HomerSourceTests.password,
                                                   "--aleg-header", "X-Call-ID"] + nodes.flatMap { ["--node", $0] })
        }

        func source(password: String = HomerSourceTests.password, nodes: [String] = ["localnode"],
                    searchWindow: Duration = .seconds(86_400), now: Double = HomerSourceTests.now) throws -> HomerSource {
            try HomerSource(settings: HomerSource.Settings(baseURL: server.base, username: "admin", password: ResolvedSecret(password),
                                                    nodes: nodes, searchWindow: searchWindow),
                            client: client, now: { now })
        }

        func received() async throws -> [LocalServer.Received] { try await server.received(through: client) }
    }

    @Test func findsTheCallWithItsLegsByLoginSearchAndPcapExport() async throws {
        let homer = try Homer()
        let found = try #require(try await homer.source().find(SourceFixtures.legA))

        // The B leg's responses carry no X-Call-ID, so their sid is the B
        // leg's own Call-ID: they are in the trace only because the export
        // asked for the leg the search returned.
        let expected = try SourceFixtures.legsTrace().messages
        #expect(found.trace.format == .pcap)
        #expect(found.trace.messages.map(\.message.callID) == expected.map(\.message.callID))
        #expect(found.trace.messages.map(\.message.startLine) == expected.map(\.message.startLine))
        #expect(!found.trace.messages.contains { $0.message.callID == SourceFixtures.other })
        #expect(found.origin.hasPrefix("homer \(homer.server.base) (pcap export"))

        let requests = try await homer.received()
        #expect(requests.map { "\($0.method) \($0.path)" } == [
            "POST /api/v3/auth", "POST /api/v3/search/call/data", "POST /api/v3/export/call/messages/pcap"])
        let login = requests[0]
        #expect(login.json["username"] as? String == "admin")
        #expect(login.json["password"] as? String == Self.password)
        #expect(login.headers["authorization"] == nil)

        let search = requests[1]
        let bearer = try #require(search.headers["authorization"])
        #expect(bearer.hasPrefix("Bearer ey"))
        #expect(requests[2].headers["authorization"] == bearer)
        let param = try #require(search.json["param"] as? [String: Any])
        let conditions = try #require((param["search"] as? [String: Any])?["1_call"] as? [[String: Any]])
        #expect(conditions.first?["name"] as? String == "sid")
        #expect(conditions.first?["value"] as? String == SourceFixtures.legA)
        #expect(conditions.first?["type"] as? String == "string")
        #expect(conditions.first?["hepid"] as? Int == 1)
        #expect((param["location"] as? [String: Any])?["node"] as? [String] == ["localnode"])
        let window = try #require(search.json["timestamp"] as? [String: Any])
        #expect(window["from"] as? Int64 == Int64((Self.now - 86_400) * 1000))
        #expect(window["to"] as? Int64 == Int64(Self.now * 1000) + 1000)

        let export = requests[2]
        let call = try #require(((export.json["param"] as? [String: Any])?["search"] as? [String: Any])?["1_call"] as? [String: Any])
        #expect(call["callid"] as? [String] == [SourceFixtures.legA, SourceFixtures.legB])
        #expect(((export.json["param"] as? [String: Any])?["location"] as? [String: Any])?["node"] as? [String] == ["localnode"])
        #expect(export.json["timestamp"] as? [String: Int64] == window as? [String: Int64])

        // The digest is of the bytes exported: ask again with the same body.
        let again = try await homer.client.send(HTTPRequest(method: "POST", url: homer.server.base + export.path,
                                                            headers: [HTTPHeader("Authorization", bearer)], body: Array(export.body.utf8)))
        #expect(found.digest == TraceDigest.of(again.body))
    }

    @Test func logsInOnceAndAgainOnlyWhenTheTokenExpired() async throws {
        let homer = try Homer()
        let source = try homer.source()
        _ = try await source.find(SourceFixtures.legA)
        _ = try await source.find(SourceFixtures.legA)
        #expect(try await homer.received().filter { $0.path == "/api/v3/auth" }.count == 1)

        try await homer.server.control("/_test/expire-tokens", through: homer.client)
        try await homer.server.control("/_test/clear", through: homer.client)
        let found = try await source.find(SourceFixtures.legA)
        #expect(found != nil)
        let requests = try await homer.received()
        #expect(requests.map(\.path) == ["/api/v3/search/call/data", "/api/v3/auth", "/api/v3/search/call/data",
                                         "/api/v3/export/call/messages/pcap"])
        let expired = requests[0].headers["authorization"], fresh = requests[2].headers["authorization"]
        #expect(expired != nil && fresh != nil && expired != fresh)
        #expect(requests[3].headers["authorization"] == fresh)
    }

    @Test func concurrentLookupsShareOneLogin() async throws {
        let homer = try Homer()
        let source = try homer.source()
        let found = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 { group.addTask { try await source.find(SourceFixtures.legA) != nil } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(found == 4)
        #expect(try await homer.received().filter { $0.path == "/api/v3/auth" }.count == 1)
    }

    @Test func aTokenRefusedRightAfterLoginIsNotRetriedForever() async throws {
        let homer = try Homer()
        try await homer.server.control("/_test/answer", #"{"path":"/api/v3/search/call/data","status":401,"body":"{\"message\":\"invalid or expired jwt\"}"}"#,
                                       through: homer.client)
        await #expect(throws: HomerError.tokenRefused(server: homer.server.base, path: "/api/v3/search/call/data",
                                                     message: "invalid or expired jwt")) {
            _ = try await homer.source().find(SourceFixtures.legA)
        }
        #expect(try await homer.received().map(\.path) == ["/api/v3/auth", "/api/v3/search/call/data", "/api/v3/auth",
                                                          "/api/v3/search/call/data"])
    }

    @Test func badCredentialsNameTheUserAndNeverThePassword() async throws {
        let homer = try Homer()
        let wrong = "not-the-Password-42"
        let error = try #require(await thrown { try await homer.source(password: wrong).find(SourceFixtures.legA) } as? HomerError)
        #expect(error == .badCredentials(server: homer.server.base, username: "admin", message: "incorrect password"))
        #expect(error.description.contains("user 'admin'"))
        #expect(error.description.contains("password_env"))
        #expect(!error.description.contains(wrong))
        // Only the login was tried.
        #expect(try await homer.received().map(\.path) == ["/api/v3/auth"])
    }

    @Test func anUnknownNodeIsNamedWithTheNodesTheServerKnows() async throws {
        let homer = try Homer()
        await #expect(throws: HomerError.unknownNodes(server: homer.server.base, nodes: ["node-eu1"], known: ["localnode"])) {
            _ = try await homer.source(nodes: ["node-eu1"]).find(SourceFixtures.legA)
        }
        // A typo beside a good node is named too, when the search is empty.
        await #expect(throws: HomerError.unknownNodes(server: homer.server.base, nodes: ["lcoalnode"], known: ["localnode"])) {
            _ = try await homer.source(nodes: ["localnode", "lcoalnode"]).find("nobody@nowhere.example")
        }
        let requests = try await homer.received()
        #expect(requests.prefix(3).map(\.path) == ["/api/v3/auth", "/api/v3/search/call/data", "/api/v3/database/node/list"])
        #expect(((requests[1].json["param"] as? [String: Any])?["location"] as? [String: Any])?["node"] as? [String] == ["node-eu1"])
    }

    @Test func aCallTheServerDoesNotHoldIsNil() async throws {
        let homer = try Homer()
        let source = try homer.source()
        #expect(try await source.find("nobody@nowhere.example") == nil)
        // A day later, with an hour of look-back, the call is out of the window.
        #expect(try await homer.source(searchWindow: .seconds(3600), now: Self.now + 86_400).find(SourceFixtures.legA) == nil)
        #expect(try await homer.received().filter { $0.path == "/api/v3/export/call/messages/pcap" }.isEmpty)
    }

    @Test func aServerErrorSaysHomerOrItsDatabaseFailed() async throws {
        let homer = try Homer()
        try await homer.server.control("/_test/answer", #"{"path":"/api/v3/search/call/data","status":503,"body":"{\"data\":{},\"message\":\"db data retrieve error\"}"}"#,
                                       through: homer.client)
        let error = try #require(await thrown { try await homer.source().find(SourceFixtures.legA) } as? HomerError)
        #expect(error == .serverError(server: homer.server.base, path: "/api/v3/search/call/data", status: 503,
                                      message: "db data retrieve error"))
        #expect(error.description.contains("check homer-app's log"))
        // The client tried three times (503 is retried for any method).
        #expect(try await homer.received().filter { $0.path == "/api/v3/search/call/data" }.count == 3)
    }

    @Test func theExportIsRetriedOnA502BecauseItOnlyReads() async throws {
        let homer = try Homer()
        try await homer.server.control("/_test/answer", #"{"path":"/api/v3/export/call/messages/pcap","status":502,"content_type":"text/html","body":"<html>502 Bad Gateway</html>"}"#,
                                       through: homer.client)
        let error = try #require(await thrown { try await homer.source().find(SourceFixtures.legA) } as? HomerError)
        #expect(error == .serverError(server: homer.server.base, path: "/api/v3/export/call/messages/pcap", status: 502,
                                      message: "<html>502 Bad Gateway</html>"))
        // A POST is retried on 502 only when marked idempotent: the export is.
        #expect(try await homer.received().filter { $0.path == "/api/v3/export/call/messages/pcap" }.count == 3)
    }

    @Test func anExportThatIsNotAPcapIsRefusedWithWhatCameInstead() async throws {
        let homer = try Homer()
        try await homer.server.control("/_test/answer", #"{"path":"/api/v3/export/call/messages/pcap","status":200,"content_type":"text/html","body":"<html><body>Sign in</body></html>"}"#,
                                       through: homer.client)
        let error = try #require(await thrown { try await homer.source().find(SourceFixtures.legA) } as? HomerError)
        guard case .notAPcap(_, let detail) = error else { Issue.record("\(error)"); return }
        #expect(detail.contains("text/html"))
        #expect(detail.contains("<html><body>Sign in"))
    }

    @Test func anAnswerThatIsNotHomerAppsJSONIsNamedAsSuch() async throws {
        let homer = try Homer()
        try await homer.server.control("/_test/answer", #"{"path":"/api/v3/search/call/data","status":201,"content_type":"text/html","body":"<html>Proxy sign-in</html>"}"#,
                                       through: homer.client)
        let error = try #require(await thrown { try await homer.source().find(SourceFixtures.legA) } as? HomerError)
        guard case .unexpectedAnswer(_, "/api/v3/search/call/data", let detail) = error else { Issue.record("\(error)"); return }
        #expect(detail.contains("text/html") && detail.contains("Proxy sign-in"))
    }

    @Test func aServerThatDoesNotAnswerIsNamedAndThePasswordStaysOut() async throws {
        let source = try HomerSource(settings: HomerSource.Settings(baseURL: "http://127.0.0.1:9", username: "admin",
                                                                    password: ResolvedSecret(Self.password)),
                                     client: TestClient.curl)
        let error = try #require(await thrown { try await source.find(SourceFixtures.legA) } as? HomerError)
        guard case .noAnswer(let server, _) = error else { Issue.record("\(error)"); return }
        #expect(server == "http://127.0.0.1:9")
        #expect(!error.description.contains(Self.password))
    }

    @Test func settingsThatCannotWorkAreRefusedBeforeAnyRequest() throws {
        let client = TestClient.curl
        func settings(_ url: String, nodes: [String] = ["localnode"], searchWindow: Duration = .seconds(86_400)) -> HomerSource.Settings {
            HomerSource.Settings(baseURL: url, username: "admin", password: ResolvedSecret("pw-in-url-9"), nodes: nodes, searchWindow: searchWindow)
        }
        #expect(throws: HomerError.self) { try HomerSource(settings: settings("homer.example:9080"), client: client) }
        #expect(throws: HomerError.self) { try HomerSource(settings: settings("http://h:9080", nodes: []), client: client) }
        #expect(throws: HomerError.self) { try HomerSource(settings: settings("http://h:9080", searchWindow: .zero), client: client) }
        #expect(throws: HomerError.self) { try HomerSource(settings: settings("http://admin:pw-in-url-9@h:9080"), client: client) }
        #expect(!HomerError.badSettings(reason: "").description.isEmpty)
        #expect(!String(describing: Result { try HomerSource(settings: settings("http://admin:pw-in-url-9@h:9080"), client: client) }).contains("pw-in-url-9"))
        // homer-app's address, with or without /api/v3 and slashes.
        #expect(try HomerSource(settings: settings("https://homer.example/prefix/api/v3/"), client: client).name == "homer https://homer.example/prefix")
    }
}
