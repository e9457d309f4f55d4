import Foundation
import Testing
@testable import HTTPClient

/// Every way a value can be printed, for a request carrying a bearer token,
/// an API key header, a password in its URL, a token in its query and a
/// password in its body.
private let secretRequest = HTTPRequest(
    method: "POST",
    url: "http://admin:pa55-s3cret@127.0.0.1:9/api/v3/search?access_token=q-s3cret-999&sid=89f3a1b2",
    headers: [
        HTTPHeader("Authorization", "Bearer eyJ-s3cret-jwt"),
        HTTPHeader("X-API-Key", "key-s3cret-5678"),
        HTTPHeader("Accept", "application/json"),
    ],
    body: Array(#"{"username":"admin","password":"body-s3cret"}"#.utf8))

private func everyPrinting(of value: Any) -> [String] {
    var dumped = ""
    dump(value, to: &dumped)
    return [String(describing: value), String(reflecting: value), "\(value)", dumped]
}

@Suite("no secret is ever printed")
struct SecretRedactionTests {
    @Test func aRequestPrintsWithoutItsSecrets() {
        for text in everyPrinting(of: secretRequest) + everyPrinting(of: secretRequest.headers) {
            #expect(!text.contains("s3cret"), "leaked in: \(text)")
        }
        let text = String(describing: secretRequest)
        #expect(text.contains("POST http://<redacted>@127.0.0.1:9/api/v3/search?access_token=<redacted>&sid=89f3a1b2"))
        #expect(text.contains("Authorization: <redacted>"))
        #expect(text.contains("Accept: application/json"))
        #expect(text.contains("45-byte body"))
    }

    @Test func aResponsePrintsWithoutItsCookiesOrBody() {
        let response = HTTPResponse(
            status: 201, headers: [HTTPHeader("Set-Cookie", "sid=c00kie-s3cret"), HTTPHeader("Content-Type", "application/json")],
            body: Array(#"{"token":"jwt-s3cret"}"#.utf8))
        for text in everyPrinting(of: response) {
            #expect(!text.contains("s3cret"), "leaked in: \(text)")
        }
        #expect(String(describing: response).contains("201"))
    }

    @Test(.enabled(if: LoopbackServer.python3 != nil, LoopbackServer.skipReason))
    func anErrorNamesTheURLButNoneOfItsSecrets() async throws {
        try await LoopbackServer.with { server async throws in
            var request = secretRequest
            request.url = request.url.replacingOccurrences(of: "127.0.0.1:9", with: "127.0.0.1:\(server.port)")
                .replacingOccurrences(of: "/api/v3/search", with: "/reset")
            let client = CurlHTTPClient(options: HTTPClientOptions(retry: .never), environment: [:])
            let error = await httpError { try await client.send(request) }
            for text in everyPrinting(of: error as Any) + [error?.localizedDescription ?? ""] {
                #expect(!text.contains("s3cret"), "leaked in: \(text)")
            }
            #expect(error?.localizedDescription == error?.description)
            #expect(error?.url == "http://<redacted>@127.0.0.1:\(server.port)/reset?access_token=<redacted>&sid=89f3a1b2")
        }
    }

    @Test func curlsWordsAreScrubbedOfTheRequestsSecrets() {
        let secrets = SecretRedaction.secrets(of: secretRequest, proxy: "http://agent:pr0xy-pass@10.0.0.1:3128")
        let scrubbed = SecretRedaction.scrub(
            "auth eyJ-s3cret-jwt failed for admin:pa55-s3cret via pr0xy-pass, q-s3cret-999", removing: secrets)
        #expect(!scrubbed.contains("s3cret"))
        #expect(!scrubbed.contains("pr0xy-pass"))
        #expect(scrubbed.hasPrefix("auth <redacted> failed"))
    }

    @Test(arguments: [
        ("Authorization", true), ("proxy-authorization", true), ("Cookie", true), ("X-Auth-Token", true),
        ("X-API-Key", true), ("Api_Key", true), ("X-Session-Id", true), ("Accept", false), ("Content-Type", false),
        ("X-Call-ID", false),
    ])
    func secretHeadersAreKnownByName(name: String, secret: Bool) {
        #expect(SecretRedaction.isSecretHeader(name) == secret)
    }

    @Test func aURLWithoutSecretsIsLeftAlone() {
        let url = "https://homer.example:9080/api/v3/call/transaction?callid=a%40b#frag"
        #expect(SecretRedaction.url(url) == url)
        #expect(SecretRedaction.url("https://k3y@api.example/x") == "https://<redacted>@api.example/x")
        #expect(SecretRedaction.url("https://api.example/x?@y") == "https://api.example/x?@y")
    }
}
