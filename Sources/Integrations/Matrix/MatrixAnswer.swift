import Foundation
import HTTPClient

/// A homeserver's answer with its JSON read once: the client-server API
/// answers every request, errors included, with a JSON object
/// (`{"errcode":"M_…","error":"…"}` on failure).
struct MatrixAnswer: Sendable {
    var response: HTTPResponse
    private let json: JSONBox?

    init(_ response: HTTPResponse) {
        self.response = response
        json = (try? JSONSerialization.jsonObject(with: Data(response.body))).flatMap { $0 as? [String: Any] }.map(JSONBox.init)
    }

    var status: Int { response.status }
    var object: [String: Any]? { json?.object }
    var errcode: String { object?["errcode"] as? String ?? "" }
    var message: String { object?["error"] as? String ?? (object == nil ? response.bodyHead : "") }

    /// "M_FORBIDDEN: Invalid username or password".
    var errorWords: String {
        [errcode, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }

    /// How long the server asks to wait: the `Retry-After` header
    /// (seconds), else the body's `retry_after_ms`.
    var retryAfter: Duration? {
        if let header = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces), let seconds = Int(header), seconds >= 0 {
            return .seconds(seconds)
        }
        if let ms = (object?["retry_after_ms"] as? NSNumber)?.int64Value, ms >= 0 {
            return .milliseconds(ms)
        }
        return nil
    }

    /// The error for an answer the caller did not expect.
    func failure(server: String, path: String) -> MatrixError {
        switch status {
        case 403: return .forbidden(server: server, path: path, errcode: errcode, message: message)
        case 413: return .tooLarge(server: server, path: path, message: errorWords)
        case 429: return .rateLimited(server: server, path: path, retryAfter: retryAfter)
        case 500...: return .serverError(server: server, path: path, status: status, message: errorWords)
        default: return .rejected(server: server, path: path, status: status, errcode: errcode, message: message)
        }
    }
}

/// JSONSerialization's objects are immutable property lists, safe to share.
private final class JSONBox: @unchecked Sendable {
    let object: [String: Any]
    init(_ object: [String: Any]) { self.object = object }
}

enum MatrixJSON {
    static func encode<Body: Encodable>(_ body: Body) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Plain structs of strings, numbers and booleans always encode.
        return Array((try? encoder.encode(body)) ?? Data())
    }

    /// A path segment: room ids, event ids and user ids hold `!`, `$`,
    /// `:`, `@` and whatever else a server chose, all percent-encoded.
    static func segment(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// A query value (a sync token, an inline filter).
    static func query(_ value: String) -> String { segment(value) }
}
