import Foundation
import Testing
@testable import HTTPClient

/// A loopback HTTPS server with the committed self-signed certificate
/// (Servers/self-signed-cert.pem, valid to 2126, for 127.0.0.1 and localhost).
@Suite("libcurl client TLS", .enabled(if: LoopbackServer.python3 != nil, LoopbackServer.skipReason))
struct TLSTests {
    @Test func aSelfSignedServerIsRefusedWithoutItsCA() async throws {
        try await LoopbackServer.with(tls: true) { server async throws in
            let client = CurlHTTPClient(options: HTTPClientOptions(retry: quickRetries()), environment: [:])
            let error = await httpError { try await client.send(HTTPRequest(url: server.baseURL + "/echo")) }
            #expect(error?.kind == .tlsFailed(caBundle: nil))
            #expect(error?.attempts == 1, "a certificate does not get better by asking again")
            let text = error.map(String.init(describing:)) ?? ""
            #expect(text.contains("certificate could not be verified"))
            #expect(text.contains("give that CA's certificate"))
            #expect(try await server.hits("/echo").isEmpty, "no request may reach an unverified server")
        }
    }

    @Test func aSelfSignedServerIsAcceptedWithItsCAGiven() async throws {
        try await LoopbackServer.with(tls: true) { server async throws in
            let client = CurlHTTPClient(
                options: HTTPClientOptions(caBundlePath: LoopbackServer.selfSignedCertificate), environment: [:])
            let response = try await client.send(HTTPRequest(
                method: "POST", url: server.baseURL + "/echo", body: Array("over TLS".utf8)))
            #expect(response.status == 200)
            #expect(try Echo(response).body == "over TLS")
        }
    }

    @Test func aCABundleThatIsNotThereIsNamedInTheError() async throws {
        try await LoopbackServer.with(tls: true) { server async throws in
            let missing = "/nonexistent/agentctl-ca.pem"
            let client = CurlHTTPClient(options: HTTPClientOptions(caBundlePath: missing), environment: [:])
            let error = await httpError { try await client.send(HTTPRequest(url: server.baseURL + "/echo")) }
            #expect(error?.kind == .tlsFailed(caBundle: missing))
            #expect(error.map(String.init(describing:))?.contains(missing) == true)
        }
    }
}
