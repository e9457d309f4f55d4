import Foundation

/// Any HTTP service that answers a Call-ID with its trace: a URL template,
/// fixed headers, and credentials by reference.
public struct HTTPSourceSettings: Sendable, Equatable {
    public var name: String
    /// Holds `{callid}`, replaced by the percent-encoded Call-ID.
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

    /// The template with `callID` percent-encoded in place of `{callid}`:
    /// a Call-ID holds `@`, `;`, `/` and worse, and must stay one path
    /// segment or query value.
    public func url(forCallID callID: String) -> String {
        // RFC 3986 unreserved characters only: everything else is escaped.
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        var encoded = ""
        for byte in callID.utf8 {
            if unreserved.contains(byte) { encoded.unicodeScalars.append(Unicode.Scalar(byte)) }
            else { encoded += byte < 16 ? "%0" : "%"; encoded += String(byte, radix: 16, uppercase: true) }
        }
        return urlTemplate.replacingOccurrences(of: Self.callIDPlaceholder, with: encoded)
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
