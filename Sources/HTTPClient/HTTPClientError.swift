import Foundation

/// Why a request got no answer to return: what failed, for which URL
/// (without its userinfo or secret query values), after how many attempts,
/// and what to do about it. Never carries a header value or a body.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request cannot be sent as given: a URL that is not http(s),
        /// a header with a line break... The reason says which.
        case invalidRequest(String)
        case cannotResolveHost
        /// A redirect led to a scheme other than http(s), or past `maxRedirects`.
        case redirectRefused
        /// Nothing listens there, or something refused the connection.
        case cannotConnect
        case connectTimedOut(Duration)
        /// Connected, but the whole answer did not arrive within the total timeout.
        case timedOut(Duration)
        /// Fewer than `minimumBytesPerSecond` arrived for `window`.
        case stalled(window: Duration, minimumBytesPerSecond: Int)
        /// Reset or closed before a complete answer.
        case connectionLost
        /// The TLS handshake failed, mostly because the server's certificate
        /// could not be verified; `caBundle` is the bundle it was checked against.
        case tlsFailed(caBundle: String?)
        /// The body went over the cap; the transfer was stopped there.
        case responseTooLarge(limit: Int)
        /// The proxy (named without credentials) could not be used.
        case proxyFailed(proxy: String)
        /// Any other failure of the transfer, by libcurl's error code.
        case transport(curlCode: Int)
    }

    public var kind: Kind
    public var method: String
    /// The URL asked for, redacted.
    public var url: String
    /// How many times the request was tried before giving up.
    public var attempts: Int
    /// libcurl's own words, scrubbed of every secret of the request.
    public var detail: String

    public init(kind: Kind, method: String, url: String, attempts: Int = 1, detail: String = "") {
        self.kind = kind
        self.method = method
        self.url = url
        self.attempts = attempts
        self.detail = detail
    }

    public var description: String {
        var text = "\(method) \(url): \(what)"
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        if !detail.isEmpty { text += " [curl: \(detail)]" }
        return text + ". " + advice
    }

    private var what: String {
        switch kind {
        case .invalidRequest(let reason): "the request cannot be sent: \(reason)"
        case .cannotResolveHost: "cannot resolve the host name"
        case .redirectRefused: "the server redirected to a URL that is not http(s), or too many times"
        case .cannotConnect: "cannot connect to the server"
        case .connectTimedOut(let limit): "no connection within the connect timeout of \(limit.spoken)"
        case .timedOut(let limit): "timed out: no complete answer within the timeout of \(limit.spoken)"
        case .stalled(let window, let rate):
            "the transfer stalled: less than \(rate) byte\(rate == 1 ? "" : "s")/s for \(window.spoken)"
        case .connectionLost: "the connection was reset or closed before a complete answer"
        case .tlsFailed(let bundle):
            if let bundle {
                "TLS failed: the server's certificate could not be verified against the CA bundle \(bundle)"
            } else {
                "TLS failed: the server's certificate could not be verified against the system's CAs"
            }
        case .responseTooLarge(let limit): "the answer is over the size cap of \(limit) bytes; the transfer was stopped"
        case .proxyFailed(let proxy): "the proxy \(proxy) could not be used"
        case .transport(let code): "the transfer failed (libcurl error \(code))"
        }
    }

    private var advice: String {
        switch kind {
        case .invalidRequest: "Fix the request: an http:// or https:// URL, header names and values without line breaks."
        case .cannotResolveHost: "Check the host name in the URL and this machine's DNS."
        case .redirectRefused: "Use the final URL directly, or raise the redirect limit if the chain is legitimate."
        case .cannotConnect: "Check that the server is up and listens at that host and port, and that no firewall blocks it."
        case .connectTimedOut: "Check that the host and port are reachable from here, or raise the connect timeout."
        case .timedOut: "The server took the request but answered too slowly: check it, or raise the timeout if a large answer is expected."
        case .stalled: "The server or the network stopped sending: check the server, or widen the stall window."
        case .connectionLost: "The server or something on the way dropped the connection: check the server's logs and any proxy or load balancer."
        case .tlsFailed(let bundle):
            bundle == nil
                ? "If the server uses a private or self-signed CA, give that CA's certificate (PEM) as the CA bundle; verification cannot be turned off."
                : "Check that this bundle holds the CA that signed the server's certificate and that the certificate names the host in the URL; verification cannot be turned off."
        case .responseTooLarge: "Narrow the request (a shorter time window, one call) or raise the response size cap."
        case .proxyFailed: "Check the proxy variables (https_proxy, http_proxy, all_proxy) and no_proxy in the environment."
        case .transport: "See libcurl's message; retry later if it looks transient."
        }
    }
}

/// So that `localizedDescription`, which a command line prints for any
/// error, says the same as `description` rather than "error 1".
extension HTTPClientError: LocalizedError {
    public var errorDescription: String? { description }
}

extension Duration {
    /// "10 s", "1.5 s", "250 ms": how a person says a timeout.
    var spoken: String {
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        let tenths = (milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }

    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
