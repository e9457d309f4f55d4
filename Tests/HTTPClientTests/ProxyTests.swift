import Foundation
import Testing
@testable import HTTPClient

/// Proxies come from the environment handed to the client, never from the
/// test process's own. The echo server plays the proxy: a proxied request
/// names the whole URL in its request line.
@Suite("libcurl client proxies", .enabled(if: LoopbackServer.python3 != nil, LoopbackServer.skipReason))
struct ProxyTests {
    @Test func httpProxyFromTheGivenEnvironmentIsUsed() async throws {
        try await LoopbackServer.with { proxy async throws in
            let client = CurlHTTPClient(environment: ["http_proxy": proxy.baseURL])
            // .invalid never resolves: only the proxy can have answered.
            let response = try await client.send(HTTPRequest(url: "http://homer.invalid/echo?sid=1"))
            #expect(try Echo(response).target == "http://homer.invalid/echo?sid=1")
        }
    }

    @Test func noProxyHostsGoDirect() async throws {
        try await LoopbackServer.with { server async throws in
            let deadProxy = "http://127.0.0.1:\(try closedLoopbackPort())"
            let client = CurlHTTPClient(environment: ["http_proxy": deadProxy, "no_proxy": "localhost,127.0.0.1"])
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/echo"))
            #expect(try Echo(response).target == "/echo")
        }
    }

    @Test func upperCaseHTTPProxyIsIgnoredAsCurlDoes() async throws {
        try await LoopbackServer.with { server async throws in
            let deadProxy = "http://127.0.0.1:\(try closedLoopbackPort())"
            let client = CurlHTTPClient(environment: ["HTTP_PROXY": deadProxy])
            #expect(try await client.send(HTTPRequest(url: server.baseURL + "/echo")).status == 200)
        }
    }

    @Test func anUnreachableProxyIsNamedWithoutItsPassword() async throws {
        let deadProxy = "http://agent:pr0xy-s3cret@127.0.0.1:\(try closedLoopbackPort())"
        let client = CurlHTTPClient(options: HTTPClientOptions(retry: quickRetries(2)), environment: ["https_proxy": deadProxy])
        let error = await httpError { try await client.send(HTTPRequest(url: "https://homer.invalid/api/v3/auth")) }
        guard case .proxyFailed(let named) = error?.kind else {
            Issue.record("expected proxyFailed, got \(String(describing: error))")
            return
        }
        #expect(named.hasPrefix("http://<redacted>@127.0.0.1:"))
        let text = error.map(String.init(describing:)) ?? ""
        #expect(!text.contains("s3cret"))
        #expect(text.contains("https_proxy"))
    }
}

@Suite("libcurl client through an https proxy", .enabled(if: LoopbackServer.python3 != nil, LoopbackServer.skipReason))
struct TunnelTests {
    /// https through a proxy is a CONNECT tunnel: the server's certificate is
    /// still verified end to end, and the proxy's own "200 Connection
    /// established" is not taken for the answer's headers.
    @Test func httpsGoesThroughTheProxysTunnelAndIsStillVerified() async throws {
        try await LoopbackServer.with(tls: true) { server async throws in
            try await LoopbackServer.with { proxy async throws in
                let environment = ["https_proxy": proxy.baseURL]
                let trusting = CurlHTTPClient(
                    options: HTTPClientOptions(caBundlePath: LoopbackServer.selfSignedCertificate), environment: environment)
                let response = try await trusting.send(HTTPRequest(url: server.baseURL + "/echo"))
                #expect(response.status == 200)
                // The proxy's answer had a Date and a Server header too.
                #expect(response.headers.filter { $0.name.lowercased() == "date" }.count == 1)
                #expect(response.headers.filter { $0.name.lowercased() == "content-type" }.map(\.value) == ["application/json"])
                #expect(try await proxy.hits("CONNECT 127.0.0.1:\(server.port)").count == 1)

                let untrusting = CurlHTTPClient(options: HTTPClientOptions(retry: .never), environment: environment)
                let error = await httpError { try await untrusting.send(HTTPRequest(url: server.baseURL + "/echo")) }
                #expect(error?.kind == .tlsFailed(caBundle: nil))
            }
        }
    }
}
