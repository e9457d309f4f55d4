import CCurl
import Foundation

/// The project's HTTP client: libcurl under an async API, with the limits,
/// retries and TLS rules of `HTTPClientOptions` and the proxies of the
/// environment it was given. Any number of requests may be in flight at
/// once; all share one libcurl multi loop and its connection cache.
public struct CurlHTTPClient: HTTPSending {
    public let options: HTTPClientOptions
    private let proxies: ProxySettings
    private let loop: CurlMultiLoop

    /// - Parameter environment: where the proxy variables are read
    ///   (`https_proxy`, `http_proxy`, `all_proxy`, `no_proxy`); the
    ///   process's own by default. The process's variables are never read
    ///   behind this: pass `[:]` for no proxy at all.
    public init(
        options: HTTPClientOptions = HTTPClientOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.init(options: options, environment: environment, loop: .shared)
    }

    init(options: HTTPClientOptions, environment: [String: String], loop: CurlMultiLoop) {
        self.options = options
        self.proxies = ProxySettings(environment: environment)
        self.loop = loop
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try RequestValidation.check(request)
        var random = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let transfer = try CurlTransfer(
                request: request, options: options,
                proxy: proxies.proxy(for: request.url), noProxy: proxies.noProxy)
            let outcome = await loop.perform(transfer)
            guard case .finished(let code) = outcome else { throw CancellationError() }
            switch transfer.result(of: code) {
            case .success(let response):
                guard let wait = options.retry.delay(
                    after: response, attempt: attempt, idempotent: request.idempotent,
                    now: Int(time(nil)), using: &random
                ) else { return response }
                try await Task.sleep(for: wait)
            case .failure(var error):
                error.attempts = attempt
                guard let wait = options.retry.delay(
                    after: error.kind, attempt: attempt, idempotent: request.idempotent, using: &random
                ) else { throw error }
                try await Task.sleep(for: wait)
            }
            attempt += 1
        }
    }
}

/// What is refused before libcurl sees it: anything that would let a value
/// change the request's shape (a line break in a header is a second header)
/// or reach a scheme other than http(s).
enum RequestValidation {
    static func check(_ request: HTTPRequest) throws(HTTPClientError) {
        func refuse(_ reason: String) -> HTTPClientError {
            HTTPClientError(kind: .invalidRequest(reason), method: request.method, url: SecretRedaction.url(request.url))
        }
        let lowered = request.url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw refuse("the URL must start with http:// or https://")
        }
        guard !request.url.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) else {
            throw refuse("the URL holds a space or a control character; percent-encode it")
        }
        guard !request.method.isEmpty, request.method.allSatisfy(isTokenCharacter) else {
            throw refuse("the method \"\(request.method)\" is not an HTTP token")
        }
        for header in request.headers {
            guard !header.name.isEmpty, header.name.allSatisfy(isTokenCharacter) else {
                throw refuse("the header name \"\(header.name)\" is not an HTTP token")
            }
            // By bytes: "\r\n" is one Character, equal to neither "\r" nor "\n".
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw refuse("the value of header \(header.name) holds a line break or NUL")
            }
        }
    }

    /// RFC 9110 section 5.6.2's tchar.
    private static func isTokenCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (ascii >= 0x30 && ascii <= 0x39) || (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x61 && ascii <= 0x7A)
            || "!#$%&'*+-.^_`|~".utf8.contains(ascii)
    }
}
