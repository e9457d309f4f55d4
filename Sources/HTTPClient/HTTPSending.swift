/// One HTTP request as the project's clients build it: the method, the
/// absolute URL, the headers in the order given and the body's bytes.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// Whether sending it twice does no more harm than sending it once, so
    /// that a reset or a 5xx after the request went out may be retried.
    /// Defaults by method (RFC 9110 section 9.2.2: GET, HEAD, OPTIONS, TRACE,
    /// PUT, DELETE); a POST that only reads, like a search, may say true.
    public var idempotent: Bool

    public init(
        method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8] = [],
        idempotent: Bool? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.idempotent = idempotent
            ?? ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"].contains(method.uppercased())
    }
}

/// A header line. Names compare case-insensitively wherever they are
/// looked up; the spelling given is the spelling sent.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What the server answered, whatever the status: a 404 or a 500 is an
/// answer for the caller to judge, not an error of the transport.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// The headers of the final response (after redirects, if followed).
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header of that name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// What every outside call of the project goes through, so that a trace
/// source or a back-end can be handed the libcurl client in production and
/// read in isolation. `send` returns the server's answer for any status it
/// did not retry away (retries on connection errors, 5xx and 429 happen
/// inside); it throws only when there is no answer to return: the
/// connection failed, timed out, the body went over its cap, or the task
/// was cancelled.
public protocol HTTPSending: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
