/// How the libcurl client sends: its limits, its retries and the CAs it
/// trusts. The defaults suit a capture server or an API a few hops away;
/// docs/http-client.md says why each is what it is.
public struct HTTPClientOptions: Sendable, Equatable {
    /// Until the TCP connection (and TLS handshake) is up.
    public var connectTimeout: Duration
    /// For one attempt, from start to the last byte of the answer.
    public var timeout: Duration
    /// A transfer that moves fewer than `stallMinimumBytesPerSecond` for this
    /// long is abandoned even if the total timeout is far off.
    public var stallWindow: Duration
    public var stallMinimumBytesPerSecond: Int
    /// The largest body kept; past it the transfer is stopped and
    /// `HTTPClientError.Kind.responseTooLarge` thrown.
    public var maxResponseBytes: Int
    /// A PEM file of the CAs to trust instead of the system's, for a server
    /// with a private or self-signed CA. Verification itself is always on:
    /// there is deliberately no option to turn it off.
    public var caBundlePath: String?
    public var retry: RetryPolicy
    /// 0 returns a 3xx to the caller; more follows that many redirects,
    /// http and https only, and never sends Authorization to another host.
    public var maxRedirects: Int
    public var userAgent: String

    public init(
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(60),
        stallWindow: Duration = .seconds(30),
        stallMinimumBytesPerSecond: Int = 1,
        maxResponseBytes: Int = 256 * 1024 * 1024,
        caBundlePath: String? = nil,
        retry: RetryPolicy = RetryPolicy(),
        maxRedirects: Int = 0,
        userAgent: String = "agentctl"
    ) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.stallWindow = stallWindow
        self.stallMinimumBytesPerSecond = stallMinimumBytesPerSecond
        self.maxResponseBytes = maxResponseBytes
        self.caBundlePath = caBundlePath
        self.retry = retry
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
    }
}
