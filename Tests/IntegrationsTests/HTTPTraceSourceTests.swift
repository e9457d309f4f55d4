import Foundation
import HTTPClient
import Integrations
import Testing
import TestSupport
import TraceFormats

/// The generic HTTP source against trace_http.py: the Call-ID
/// percent-encoded into one path segment, headers and auth sent, the body
/// read as whatever it is, 404 as "no such call".
@Suite struct HTTPTraceSourceTests {
    static let token = "tok-Bearer-1234"
    /// A Call-ID that would climb out of /calls/, add a query and cut a
    /// fragment if it were pasted into the path as it is.
    static let hostile = "../../admin/x?y=1#z@10.0.0.1"

    final class Service {
        let scratch: Scratch
        let server: LocalServer
        let client: any HTTPSending = TestClient.curl
        let files: [String: [UInt8]]

        init(require: String = "Authorization: Bearer " + HTTPTraceSourceTests.token) throws {
            scratch = try Scratch()
            let rawSIP = try String(contentsOfFile: SourceFixtures.path("Fixtures/traces/formats/raw-sip-403.txt"), encoding: .utf8)
            files = [
                SourceFixtures.legA: try SourceFixtures.pcap(),
                SourceFixtures.legB: try SourceFixtures.pcapng(),
                HTTPTraceSourceTests.hostile: Array(rawSIP.replacingOccurrences(of: "a84b4c76e66710@192.168.1.50", with: HTTPTraceSourceTests.hostile).utf8),
                "homer-88c1d2@192.168.1.50": Array(try Data(contentsOf: URL(fileURLWithPath: SourceFixtures.path("Fixtures/traces/formats/homer-search.json")))),
                "html@page": Array("<html><body><h1>Welcome</h1><p>Please sign in.</p></body></html>\n".utf8),
                "wrong-call@x": Array(try Data(contentsOf: URL(fileURLWithPath: SourceFixtures.path("Fixtures/traces/formats/homer-search.json")))),
            ]
            var arguments: [String] = []
            for (i, (callID, bytes)) in files.sorted(by: { $0.key < $1.key }).enumerated() {
                arguments += ["--call", callID + "=" + (try scratch.write("body-\(i)", bytes))]
            }
            arguments += ["--fail", "broken@x=500", "--require", require]
            server = try LocalServer("trace_http.py", arguments)
        }

        func source(auth: HTTPTraceSource.Auth = .bearer(ResolvedSecret(HTTPTraceSourceTests.token)),
                    headers: [HTTPHeader] = [HTTPHeader("X-Tenant", "acme")]) throws -> HTTPTraceSource {
            try HTTPTraceSource(settings: HTTPTraceSource.Settings(url: CallURLTemplate(server.base + "/calls/{callid}/trace?view=raw"),
                                                            headers: headers, auth: auth), client: client)
        }

        func received() async throws -> [LocalServer.Received] { try await server.received(through: client) }
    }

    @Test func aPcapBodyIsReadAsTheCallWithItsLegsAndTheRequestCarriesHeadersAndToken() async throws {
        let service = try Service()
        let found = try #require(try await service.source().find(SourceFixtures.legA))
        #expect(found.trace.format == .pcap)
        #expect(Set(found.trace.messages.compactMap(\.message.callID)) == [SourceFixtures.legA, SourceFixtures.legB])
        #expect(found.digest == TraceDigest.of(service.files[SourceFixtures.legA]!))
        let request = try #require(try await service.received().first)
        #expect(request.method == "GET")
        #expect(request.path == "/calls/a0b1c2d3-legA%40192.168.1.50/trace?view=raw")
        #expect(request.headers["authorization"] == "Bearer " + Self.token)
        #expect(request.headers["x-tenant"] == "acme")
    }

    @Test func aPcapngBodyIsSniffedAsPcapng() async throws {
        let service = try Service()
        let found = try #require(try await service.source().find(SourceFixtures.legB))
        #expect(found.trace.format == .pcapng)
        #expect(found.trace.messages.contains { $0.message.callID == SourceFixtures.legB })
        #expect(found.origin.contains("pcapng capture"))
    }

    @Test func aCallIDWithSlashesQueryAndFragmentStaysInItsSegment() async throws {
        let service = try Service()
        let found = try #require(try await service.source().find(Self.hostile))
        #expect(found.trace.format == .rawSIP)
        #expect(found.trace.messages.allSatisfy { $0.message.callID == Self.hostile })
        let request = try #require(try await service.received().first)
        #expect(request.path == "/calls/..%2F..%2Fadmin%2Fx%3Fy%3D1%23z%4010.0.0.1/trace?view=raw")
    }

    @Test func homerJSONIsSniffedAndBasicAuthIsSent() async throws {
        let service = try Service(require: "Authorization: Basic " + Data("svc-agent:pa:ss".utf8).base64EncodedString())
        let source = try service.source(auth: .basic(username: "svc-agent", password: ResolvedSecret("pa:ss")))
        let found = try #require(try await source.find("homer-88c1d2@192.168.1.50"))
        #expect(found.trace.format == .homerJSON)
        let file = try TraceLoader.load(path: SourceFixtures.path("Fixtures/traces/formats/homer-search.json"))
        #expect(found.trace.messages.map(\.message.startLine) == file.messages.map(\.message.startLine))
        #expect(try await service.received().first?.headers["authorization"] == "Basic c3ZjLWFnZW50OnBhOnNz")
    }

    @Test func aTokenInAHeaderOfItsOwnIsSent() async throws {
        let service = try Service(require: "X-API-Key: key-5678")
        let source = try service.source(auth: .header(name: "X-API-Key", value: ResolvedSecret("key-5678")))
        #expect(try await source.find(SourceFixtures.legA) != nil)
        let request = try #require(try await service.received().first)
        #expect(request.headers["x-api-key"] == "key-5678")
        #expect(request.headers["authorization"] == nil)
    }

    @Test func notFoundIsNilAndFailuresSayWhatToDo() async throws {
        let service = try Service()
        let source = try service.source()
        #expect(try await source.find("nobody@nowhere") == nil)

        let broken = service.server.base + "/calls/broken%40x/trace?view=raw"
        await #expect(throws: HTTPTraceError.serverError(url: broken, status: 500, detail: "upstream trace store failed (500)")) {
            _ = try await source.find("broken@x")
        }
        let refused = try #require(await thrown { try await service.source(auth: .bearer(ResolvedSecret("wrong-token-77"))).find(SourceFixtures.legA) } as? HTTPTraceError)
        #expect(refused == .refused(url: service.server.base + "/calls/a0b1c2d3-legA%40192.168.1.50/trace?view=raw", status: 401))
        #expect(!refused.description.contains("wrong-token-77"))
        #expect(refused.description.contains("token_env"))
    }

    @Test func aBodyOverTheClientsCapIsNoAnswerAndSaysSo() async throws {
        let service = try Service()
        let small = CurlHTTPClient(options: HTTPClientOptions(maxResponseBytes: 512, retry: .never), environment: [:])
        let source = try HTTPTraceSource(settings: HTTPTraceSource.Settings(
            url: CallURLTemplate(service.server.base + "/calls/{callid}/trace"), auth: .bearer(ResolvedSecret(Self.token))), client: small)
        let error = try #require(await thrown { try await source.find(SourceFixtures.legA) } as? HTTPTraceError)
        guard case .noAnswer(let url, _) = error else { Issue.record("\(error)"); return }
        #expect(url == service.server.base + "/calls/a0b1c2d3-legA%40192.168.1.50/trace")
        #expect(error.description.contains("size cap of 512 bytes"))
        #expect(!error.description.contains(Self.token))
    }

    @Test func aBodyThatIsNoTraceOfTheCallIsRefused() async throws {
        let service = try Service()
        let source = try service.source()
        let html = try #require(await thrown { try await source.find("html@page") } as? HTTPTraceError)
        guard case .unreadable(_, let detail) = html else { Issue.record("\(html)"); return }
        #expect(detail.contains("no SIP") || detail.contains("not"), "\(detail)")
        let other = try #require(await thrown { try await source.find("wrong-call@x") } as? HTTPTraceError)
        #expect(other.description.contains("homer-88c1d2@192.168.1.50"))
        #expect(other.description.contains("url template"))
    }

    @Test func callIDsAreEncodedToUnreservedCharactersOnly() {
        #expect(CallURLTemplate.encode("a84b4c76e66710@192.168.1.50") == "a84b4c76e66710%40192.168.1.50")
        #expect(CallURLTemplate.encode("A-z_0.9~") == "A-z_0.9~")
        #expect(CallURLTemplate.encode("a/b?c#d e%f+g&h=i;j") == "a%2Fb%3Fc%23d%20e%25f%2Bg%26h%3Di%3Bj")
        #expect(CallURLTemplate.encode("ü") == "%C3%BC")
        // Whole dot-segments would be removed by a client's path normalisation.
        #expect(CallURLTemplate.encode("..") == "%2E%2E")
        #expect(CallURLTemplate.encode(".") == "%2E")
        #expect(CallURLTemplate.encode("...x") == "...x")
    }

    @Test func templatesThatLetACallIDChooseTheServerAreRefused() throws {
        #expect(throws: HTTPTraceError.self) { try CallURLTemplate("https://{callid}.traces.example/x") }
        #expect(throws: HTTPTraceError.self) { try CallURLTemplate("https://traces.example:{callid}/x") }
        #expect(throws: HTTPTraceError.self) { try CallURLTemplate("https://traces.example/calls/") }
        #expect(throws: HTTPTraceError.self) { try CallURLTemplate("ftp://traces.example/{callid}") }
        #expect(throws: HTTPTraceError.self) { try CallURLTemplate("https://u:p@traces.example/{callid}") }
        #expect(throws: HTTPTraceError.self) { try CallURLTemplate("https://traces.example/{callid}/{day}") }
        let template = try CallURLTemplate("https://traces.example/v1/calls?id={callid}&fmt=pcap")
        #expect(template.url(for: "x&fmt=text@h") == "https://traces.example/v1/calls?id=x%26fmt%3Dtext%40h&fmt=pcap")
    }

    @Test func headersThatCouldSmuggleCredentialsOrLinesAreRefused() throws {
        let url = try CallURLTemplate("http://127.0.0.1:9/{callid}")
        let client = TestClient.curl
        #expect(throws: HTTPTraceError.self) {
            try HTTPTraceSource(settings: HTTPTraceSource.Settings(url: url, headers: [HTTPHeader("Authorization", "Bearer x")]), client: client)
        }
        #expect(throws: HTTPTraceError.self) {
            try HTTPTraceSource(settings: HTTPTraceSource.Settings(url: url, headers: [HTTPHeader("X-A", "1\r\nX-B: 2")]), client: client)
        }
        #expect(throws: HTTPTraceError.self) {
            try HTTPTraceSource(settings: HTTPTraceSource.Settings(url: url, auth: .bearer(ResolvedSecret("tok\nX-Evil: 1"))), client: client)
        }
        #expect(throws: HTTPTraceError.self) {
            try HTTPTraceSource(settings: HTTPTraceSource.Settings(url: url, headers: [HTTPHeader("x-api-key", "a")],
                                                                  auth: .header(name: "X-API-Key", value: ResolvedSecret("b"))), client: client)
        }
        // A secret's value is never in the refusal.
        let refusal = "\(Result { try HTTPTraceSource(settings: HTTPTraceSource.Settings(url: url, auth: .bearer(ResolvedSecret("tok-77\r\n"))), client: client) })"
        #expect(!refusal.contains("tok-77"))
    }
}
