import Foundation

/// Any HTTP service that answers a Call-ID with its trace: a URL template,
/// fixed headers, and credentials by reference.
public struct HTTPSourceSettings: Sendable, Equatable {
    public var name: String
    /// Holds `{callid}`, replaced by the percent-encoded Call-ID
    /// (`Integrations.CallURLTemplate` does the encoding).
    public var urlTemplate: String
    /// Sent as given, in order. Credentials never go here: see `auth`.
    public var headers: [(name: String, value: String)]
    public var auth: HTTPAuth

    public static let callIDPlaceholder = "{callid}"

    public init(name: String, urlTemplate: String, headers: [(name: String, value: String)] = [], auth: HTTPAuth = .none) {
        self.name = name
        self.urlTemplate = urlTemplate
        self.headers = headers
        self.auth = auth
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.urlTemplate == b.urlTemplate && a.auth == b.auth
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

/// How a request to an HTTP source proves who sends it.
public enum HTTPAuth: Sendable, Equatable {
    case none
    /// `Authorization: Bearer <token>`.
    case bearer(Secret)
    /// `Authorization: Basic base64(username:password)`.
    case basic(username: String, password: Secret)
    /// The token as the value of a header of its own (`X-API-Key`).
    case header(name: String, value: Secret)
}
