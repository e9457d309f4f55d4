import Foundation
import Testing
@testable import HTTPClient

/// Redirects are returned unless asked for; followed ones stay on http(s)
/// and do not carry a credential to another host.
@Suite("libcurl client redirects", .enabled(if: LoopbackServer.python3 != nil, LoopbackServer.skipReason))
struct RedirectTests {
    @Test func aRedirectIsReturnedUnlessFollowingIsAskedFor() async throws {
        try await LoopbackServer.with { server async throws in
            let request = HTTPRequest(url: server.baseURL + "/redirect?to=/echo")
            let returned = try await CurlHTTPClient(environment: [:]).send(request)
            #expect(returned.status == 302)
            #expect(returned.header("Location") == "/echo")
            let followed = try await CurlHTTPClient(options: HTTPClientOptions(maxRedirects: 2), environment: [:]).send(request)
            #expect(followed.status == 200)
            #expect(try Echo(followed).target == "/echo")
        }
    }

    @Test func authorizationIsNotSentOnToAnotherHost() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(maxRedirects: 2), environment: [:])
            let sameHost = try await client.send(HTTPRequest(
                url: server.baseURL + "/redirect?to=/echo", headers: [HTTPHeader("Authorization", "Bearer t0ken")]))
            #expect(try Echo(sameHost).header("Authorization") == "Bearer t0ken")
            let otherHost = try await client.send(HTTPRequest(
                url: server.baseURL + "/redirect?to=http://localhost:\(server.port)/echo",
                headers: [HTTPHeader("Authorization", "Bearer t0ken")]))
            #expect(otherHost.status == 200)
            #expect(try Echo(otherHost).header("Authorization") == nil)
        }
    }

    @Test func aRedirectToAnotherSchemeIsRefused() async throws {
        try await LoopbackServer.with { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(maxRedirects: 2), environment: [:])
            let error = await httpError { try await client.send(HTTPRequest(url: server.baseURL + "/redirect?to=file:///etc/passwd")) }
            #expect(error?.kind == .redirectRefused)
            #expect(error?.attempts == 1)
            #expect(error.map(String.init(describing:))?.contains("redirected") == true, "\(String(describing: error))")
        }
    }
}
