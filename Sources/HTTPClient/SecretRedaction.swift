import Foundation

/// What must never reach a log, an error message or a test failure: the
/// values of credential headers, the userinfo of a URL and the values of
/// query parameters that carry tokens. Every description the client makes
/// of a request, a response or an error goes through here.
enum SecretRedaction {
    static let placeholder = "<redacted>"

    /// Header names whose values are credentials, by exact name or by a
    /// part an API's own spelling tends to keep (X-Auth-Token, X-API-Key,
    /// X-Session-Secret...). Over-redacting a harmless header costs a
    /// reader a value; under-redacting leaks a token.
    static func isSecretHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if ["authorization", "proxy-authorization", "cookie", "set-cookie"].contains(lowered) { return true }
        return secretNameParts.contains { lowered.contains($0) }
    }

    static func isSecretQueryName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if ["key", "sig", "code", "jwt"].contains(lowered) { return true }
        return secretNameParts.contains { lowered.contains($0) }
    }

    private static let secretNameParts = [
        "auth", "token", "secret", "password", "passwd", "api-key", "api_key", "apikey",
        "session", "signature", "credential", "cookie",
    ]

    static func header(_ header: HTTPHeader) -> String {
        isSecretHeader(header.name) ? "\(header.name): \(placeholder)" : "\(header.name): \(header.value)"
    }

    /// "[Name: value, Authorization: <redacted>]"
    static func headers(_ headers: [HTTPHeader]) -> String {
        "[" + headers.map(header).joined(separator: ", ") + "]"
    }

    /// The URL with its userinfo (user and password alike: a user name is
    /// often an API key) and its secret query values replaced.
    static func url(_ url: String) -> String {
        let parts = URLParts(url)
        var result = parts.scheme
        if parts.userinfo != nil { result += placeholder + "@" }
        result += parts.hostAndPath
        if let query = parts.query {
            let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
                let name = pair[..<equals]
                return isSecretQueryName(String(name)) ? "\(name)=\(placeholder)" : String(pair)
            }
            result += "?" + pairs.joined(separator: "&")
        }
        if let fragment = parts.fragment { result += "#" + fragment }
        return result
    }

    /// Every secret value a request carries, for scrubbing free text that
    /// might echo one (curl's error message, a proxy's answer).
    static func secrets(of request: HTTPRequest, proxy: String?) -> [String] {
        var found = request.headers.filter { isSecretHeader($0.name) }.map(\.value)
        for url in [request.url, proxy].compactMap({ $0 }) {
            let parts = URLParts(url)
            if let userinfo = parts.userinfo {
                found.append(userinfo)
                found += userinfo.split(separator: ":").map(String.init)
            }
            for pair in (parts.query ?? "").split(separator: "&") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                if isSecretQueryName(String(pair[..<equals])) {
                    found.append(String(pair[pair.index(after: equals)...]))
                }
            }
        }
        // A bearer token is also the part after the scheme word.
        found += found.compactMap { value in
            value.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init)
        }
        // Very short values would blank out ordinary words; none of them is
        // a credential worth the name.
        return found.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    static func scrub(_ text: String, removing secrets: [String]) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: placeholder) }
    }
}

/// A URL cut at the points redaction needs, by the generic syntax of RFC
/// 3986 section 3, without judging whether the rest is valid.
struct URLParts {
    var scheme = ""
    var userinfo: String?
    var hostAndPath = ""
    var query: String?
    var fragment: String?

    init(_ url: String) {
        var rest = Substring(url)
        if let range = rest.range(of: "://") {
            scheme = String(rest[..<range.upperBound])
            rest = rest[range.upperBound...]
        }
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            userinfo = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        hostAndPath = String(rest)
    }
}
