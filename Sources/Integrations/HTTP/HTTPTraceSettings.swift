import HTTPClient
import TraceFormats

/// A generic HTTP service that serves a call's trace at an address made
/// from its Call-ID: what the configuration's `[[http_source]]` entry turns
/// into once its secret has been resolved. See docs/trace-sources.md.
public struct HTTPTraceSettings: Sendable {
    public var url: CallURLTemplate
    /// Sent with every request, in this order (`Accept`, an API's own
    /// headers); no secret belongs here, it goes in `auth`.
    public var headers: [HTTPHeader]
    public var auth: HTTPTraceAuth
    /// What the body may hold (`TraceLimits`): text and capture limits.
    public var limits: TraceLimits

    public init(url: CallURLTemplate, headers: [HTTPHeader] = [], auth: HTTPTraceAuth = .none, limits: TraceLimits = TraceLimits()) {
        self.url = url
        self.headers = headers
        self.auth = auth
        self.limits = limits
    }
}
