import HTTPClient
import TraceFormats

extension HTTPTraceSource {
    /// A generic HTTP service that serves a call's trace at an address made
    /// from its Call-ID: what the configuration's `http_sources:` entry
    /// turns into once its secret has been resolved. See
    /// docs/trace-sources.md.
    public struct Settings: Sendable {
        public var url: CallURLTemplate
        /// Sent with every request, in this order (`Accept`, an API's own
        /// headers); no secret belongs here, it goes in `auth`.
        public var headers: [HTTPHeader]
        public var auth: Auth
        /// What the body may hold: text and capture limits.
        public var limits: TraceLimits
        /// The configuration's name for the service ("capture-api"), for
        /// messages; the template when nil.
        public var name: String?

        public init(url: CallURLTemplate, headers: [HTTPHeader] = [], auth: Auth = .none, limits: TraceLimits = TraceLimits(),
                    name: String? = nil) {
            self.url = url
            self.headers = headers
            self.auth = auth
            self.limits = limits
            self.name = name
        }
    }
}
