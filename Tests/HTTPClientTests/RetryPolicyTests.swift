import Foundation
import Testing
@testable import HTTPClient
import TestSupport

@Suite("retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 6, initialDelay: .milliseconds(100), maxDelay: .milliseconds(1000), maxRetryAfter: .seconds(30))

    @Test func backoffDoublesWithinItsJitterAndStopsAtTheMaximum() {
        var random = SplitMix64(seed: 8)
        for (retry, ceiling) in [(1, 100), (2, 200), (3, 400), (4, 800), (5, 1000), (9, 1000), (200, 1000)] {
            var drawn = Set<Int64>()
            for _ in 0..<200 {
                let wait = policy.backoff(beforeRetry: retry, using: &random).milliseconds
                #expect(wait >= Int64(ceiling / 2) && wait <= Int64(ceiling), "retry \(retry): \(wait) ms")
                drawn.insert(wait)
            }
            #expect(drawn.count > 10, "retry \(retry): jitter drew only \(drawn.sorted())")
        }
    }

    @Test func statusesRetriedDependOnTheMethodsIdempotence() {
        var random = SplitMix64(seed: 1)
        func retried(_ status: Int, idempotent: Bool) -> Bool {
            policy.delay(after: HTTPResponse(status: status), attempt: 1, idempotent: idempotent, now: 0, using: &random) != nil
        }
        #expect(retried(429, idempotent: false) && retried(503, idempotent: false))
        #expect(retried(500, idempotent: true) && retried(502, idempotent: true) && retried(504, idempotent: true))
        #expect(!retried(500, idempotent: false) && !retried(502, idempotent: false))
        #expect(!retried(200, idempotent: true) && !retried(404, idempotent: true) && !retried(501, idempotent: true))
    }

    @Test func noRetryOnceTheAttemptsAreUsed() {
        var random = SplitMix64(seed: 1)
        #expect(policy.delay(after: HTTPResponse(status: 503), attempt: 6, idempotent: true, now: 0, using: &random) == nil)
        #expect(policy.delay(after: .cannotConnect, attempt: 6, idempotent: true, using: &random) == nil)
        #expect(policy.delay(after: .cannotConnect, attempt: 5, idempotent: false, using: &random) != nil)
    }

    @Test func failuresRetriedAreThoseBeforeTheServerActed() {
        var random = SplitMix64(seed: 1)
        func retried(_ kind: HTTPClientError.Kind, idempotent: Bool = true) -> Bool {
            policy.delay(after: kind, attempt: 1, idempotent: idempotent, using: &random) != nil
        }
        #expect(retried(.cannotConnect, idempotent: false) && retried(.cannotResolveHost) && retried(.connectTimedOut(.seconds(1))))
        #expect(retried(.connectionLost) && !retried(.connectionLost, idempotent: false))
        #expect(!retried(.timedOut(.seconds(1))) && !retried(.stalled(window: .seconds(1), minimumBytesPerSecond: 1)))
        #expect(!retried(.tlsFailed(caBundle: nil)) && !retried(.responseTooLarge(limit: 1)) && !retried(.invalidRequest("x")))
    }

    @Test func retryAfterReplacesTheBackoffUpToTheCap() {
        var random = SplitMix64(seed: 1)
        func wait(_ value: String) -> Duration? {
            policy.delay(after: HTTPResponse(status: 429, headers: [HTTPHeader("retry-after", value)]),
                         attempt: 1, idempotent: false, now: 784_111_777, using: &random)
        }
        #expect(wait("7") == .seconds(7))
        #expect(wait("30") == .seconds(30))
        #expect(wait("31") == nil)
        #expect(wait("Sun, 06 Nov 1994 08:49:47 GMT") == .seconds(10))
        #expect(wait("Sun, 06 Nov 1994 09:49:37 GMT") == nil)
        let unreadable = wait("soon")
        #expect(unreadable != nil && unreadable! <= .milliseconds(100), "an unreadable value falls back to the backoff")
    }

    /// 784111777 is Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
    @Test(arguments: [
        ("120", 120), ("0", 0), (" 5 ", 5), ("00000000000000000012", 12), ("99999999999999999999999", 999_999_999),
        ("Sun, 06 Nov 1994 08:49:47 GMT", 10), ("Sunday, 06-Nov-94 08:49:47 GMT", 10), ("Sun Nov  6 08:49:47 1994", 10),
        ("Sun, 06 Nov 1994 08:00:00 GMT", 0),
    ])
    func retryAfterReadsBothForms(value: String, seconds: Int) {
        #expect(RetryAfter.seconds(value, now: 784_111_777) == seconds)
    }

    @Test(arguments: ["", "-5", "soon", "1.5"])
    func retryAfterRefusesWhatIsNeitherForm(value: String) {
        #expect(RetryAfter.seconds(value, now: 784_111_777) == nil)
    }
}

@Suite("proxy settings from an environment")
struct ProxySettingsTests {
    @Test func eachSchemeHasItsVariableAndAllProxyIsTheFallback() {
        let settings = ProxySettings(environment: [
            "http_proxy": "http://p1:3128", "HTTPS_PROXY": "http://p2:3128", "ALL_PROXY": "http://p3:3128", "NO_PROXY": "*.lan",
        ])
        #expect(settings.proxy(for: "http://a/x") == "http://p1:3128")
        #expect(settings.proxy(for: "HTTPS://a/x") == "http://p2:3128")
        #expect(settings.noProxy == "*.lan")
        #expect(ProxySettings(environment: ["all_proxy": "socks5h://p4:1080"]).proxy(for: "https://a") == "socks5h://p4:1080")
    }

    @Test func upperCaseHTTPProxyAndEmptyValuesAreIgnored() {
        let settings = ProxySettings(environment: ["HTTP_PROXY": "http://evil:80", "https_proxy": ""])
        #expect(settings.proxy(for: "http://a/x") == "")
        #expect(settings.proxy(for: "https://a/x") == "")
        #expect(settings.noProxy == "")
    }
}

@Suite("requests refused before sending")
struct RequestValidationTests {
    let client = CurlHTTPClient(environment: [:])

    @Test(arguments: [
        HTTPRequest(url: "ftp://127.0.0.1/trace.pcap"),
        HTTPRequest(url: "file:///etc/passwd"),
        HTTPRequest(url: "http://127.0.0.1/a b"),
        HTTPRequest(method: "GET /x HTTP/1.1\r\n", url: "http://127.0.0.1/"),
        HTTPRequest(url: "http://127.0.0.1/", headers: [HTTPHeader("X-Note", "a\r\nAuthorization: Bearer injected")]),
        HTTPRequest(url: "http://127.0.0.1/", headers: [HTTPHeader("Bad Name", "v")]),
    ])
    func aRequestThatCouldChangeShapeIsRefused(request: HTTPRequest) async {
        let error = await httpError { try await client.send(request) }
        guard case .invalidRequest(let reason) = error?.kind else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
        #expect(error.map(String.init(describing:))?.contains("Fix the request") == true)
        #expect(error.map(String.init(describing:))?.contains("injected") == false)
    }

    @Test func durationsAreSpokenAsAPersonWould() {
        #expect(Duration.milliseconds(250).spoken == "250 ms")
        #expect(Duration.seconds(10).spoken == "10 s")
        #expect(Duration.milliseconds(1500).spoken == "1.5 s")
    }
}
