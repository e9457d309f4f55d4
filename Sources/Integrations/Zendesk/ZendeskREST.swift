import Foundation
import HTTPClient

/// Support API calls to one account as one user: Basic auth as
/// `{email}/token:{api token}` on every request, the API's answers turned
/// into values or into `ZendeskError`s that say what to do. Retries of
/// 429 (with its Retry-After), 503 and lost connections are the HTTP
/// client's (`RetryPolicy`); the comment's PUT is marked not idempotent
/// (a second one would add a second comment), so only 429/503, which say
/// Zendesk did not act, are retried for it.
struct ZendeskREST: Sendable {
    /// The base URL as configured (for messages and for the pages'
    /// absolute links): `https://acme.zendesk.com`.
    let server: String
    let email: String
    private let token: ResolvedSecret
    private let client: any HTTPSending

    init(server: String, email: String, token: ResolvedSecret, client: any HTTPSending) {
        self.server = server
        self.email = email
        self.token = token
        self.client = client
    }

    /// The JSON object at `path` (`/api/v2/users/me.json`), `query`
    /// percent-encoded; `needs` is what a 403 is told to grant.
    func get<Value: Decodable>(_ type: Value.Type, _ path: String, query: [(String, String)] = [],
                               needs: String) async throws(ZendeskError) -> Value {
        try await get(type, url: server + path + QueryString.encode(query), path: path, needs: needs)
    }

    /// The JSON object at an absolute `url` of this account (a page's
    /// `links.next`); `path` names it in errors.
    func get<Value: Decodable>(_ type: Value.Type, url: String, path: String, needs: String) async throws(ZendeskError) -> Value {
        let response = try await send(HTTPRequest(method: "GET", url: url, headers: headers()), path: path)
        try check(response, path: path, needs: needs)
        return try decode(type, response, path: path)
    }

    /// PUTs a JSON body, not to be repeated after a 5xx or a reset; the
    /// answer for the caller to judge.
    func put(_ path: String, json: [UInt8]) async throws(ZendeskError) -> HTTPResponse {
        var headers = headers()
        headers.append(HTTPHeader("Content-Type", "application/json"))
        let request = HTTPRequest(method: "PUT", url: server + path, headers: headers, body: json, idempotent: false)
        return try await send(request, path: path)
    }

    /// Whether `url` is an address of this account's API, safe to send the
    /// token to (a page link pointing elsewhere is not followed).
    func isOwn(_ url: String) -> Bool {
        url.hasPrefix(server + "/api/v2/")
    }

    func send(_ request: HTTPRequest, path: String) async throws(ZendeskError) -> HTTPResponse {
        do {
            return try await client.send(request)
        } catch {
            throw .noAnswer(server: server, detail: "\(error)")
        }
    }

    /// 200/201 pass; anything else becomes the error that names its cause.
    func check(_ response: HTTPResponse, path: String, needs: String) throws(ZendeskError) {
        let message = Self.message(in: response)
        switch response.status {
        case 200, 201: return
        case 401: throw .credentialsRefused(server: server, email: email, message: message)
        case 403: throw .forbidden(server: server, email: email, path: path, needs: needs, message: message)
        case 429: throw .rateLimited(server: server, path: path, retryAfter: response.header("Retry-After"))
        case 500...: throw .serverError(server: server, path: path, status: response.status, message: message)
        case 404 where !(response.header("Content-Type") ?? "").lowercased().contains("json"):
            // The API answers its 404s in JSON; another one is not the API's.
            throw .unexpectedAnswer(server: server, path: path, detail: "404 and \(response.sketch)")
        default: throw .rejected(server: server, path: path, status: response.status, message: message)
        }
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPResponse, path: String) throws(ZendeskError) -> Value {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(response.body))
        } catch {
            throw .unexpectedAnswer(server: server, path: path, detail: response.sketch)
        }
    }

    private func headers() -> [HTTPHeader] {
        let credentials = Data("\(email)/token:\(token.value)".utf8).base64EncodedString()
        return [HTTPHeader("Authorization", "Basic " + credentials), HTTPHeader("Accept", "application/json"),
                HTTPHeader("User-Agent", "agentctl-zendesk/1 (Support API client)")]
    }

    /// Zendesk's own words from an error body: `{"error": "…"}`,
    /// `{"error": {"title", "message"}}`, `{"description": …, "details":
    /// {field: [{"description": …}]}}`; else the start of the text.
    static func message(in response: HTTPResponse) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            return response.bodyHead
        }
        var parts: [String] = []
        if let error = object["error"] as? String { parts.append(error) }
        if let error = object["error"] as? [String: Any] {
            parts += [error["title"], error["message"]].compactMap { $0 as? String }
        }
        if let description = object["description"] as? String { parts.append(description) }
        if let details = object["details"] as? [String: Any] {
            for key in details.keys.sorted() {
                for item in details[key] as? [[String: Any]] ?? [] {
                    if let text = item["description"] as? String { parts.append(text) }
                }
            }
        }
        let text = parts.joined(separator: ": ")
        return String(text.prefix(300))
    }

}
