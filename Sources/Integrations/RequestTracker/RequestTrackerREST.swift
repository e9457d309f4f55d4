import Foundation
import HTTPClient

/// REST2 calls to one RT as one user: the token on every request, a
/// non-browser User-Agent (RT sends a browser to its login page with a
/// 302), RT's answers turned into values or into `RequestTrackerError`s
/// that say what to do. Retries of 429, 5xx and lost connections are the
/// HTTP client's (`RetryPolicy`): reads are idempotent, a comment is
/// retried only on 429/503, which say RT did not act.
struct RequestTrackerREST: Sendable {
    /// The base URL as configured (for messages): `http://rt.example/rt`.
    let server: String
    let user: String
    private let api: String
    private let token: ResolvedSecret
    private let client: any HTTPSending
    /// Nil: the token alone on every request (`web_session: false`).
    private let session: RequestTrackerSession?

    init(server: String, user: String, token: ResolvedSecret, client: any HTTPSending, reuseWebSession: Bool = true) {
        self.server = server
        self.user = user
        self.api = server + "/REST/2.0"
        self.token = token
        self.client = client
        session = reuseWebSession ? RequestTrackerSession(server: server, user: user, token: token, client: client) : nil
    }

    /// The JSON object at `path` (`/ticket/12`), with `query` percent-encoded.
    func get<Value: Decodable>(_ type: Value.Type, _ path: String, query: [(String, String)] = [],
                               rights: String) async throws(RequestTrackerError) -> Value {
        let request = HTTPRequest(method: "GET", url: api + path + QueryString.encode(query), headers: await headers(posting: false))
        let response = try await send(request, path: path)
        try check(response, path: path, rights: rights)
        return try decode(type, response, path: path)
    }

    /// Every item of a REST2 collection, page by page until a page comes
    /// back short: `total`, `pages` and `next_page` are null for history
    /// and attachments unless the user is SuperUser (backends.md §1).
    func all<Item: Decodable>(_ type: Item.Type, _ path: String, query: [(String, String)], pageSize: Int,
                              rights: String) async throws(RequestTrackerError) -> [Item] {
        var items: [Item] = []
        var page = 1
        while true {
            let answer = try await get(RTPage<Item>.self, path,
                                       query: query + [("per_page", String(pageSize)), ("page", String(page))], rights: rights)
            items += answer.items
            // A page shorter than asked (or a server capping per_page lower) is the last.
            if answer.items.count < pageSize || answer.items.isEmpty { return items }
            page += 1
        }
    }

    /// POSTs a JSON body; the answer for the caller to judge after the
    /// shared checks (401, 403, 5xx).
    func post(_ path: String, json: [UInt8], rights: String) async throws(RequestTrackerError) -> HTTPResponse {
        var headers = await headers(posting: true)
        headers.append(HTTPHeader("Content-Type", "application/json; charset=utf-8"))
        let request = HTTPRequest(method: "POST", url: api + path, headers: headers, body: json)
        let response = try await send(request, path: path)
        switch response.status {
        case 401, 403, 500...: try check(response, path: path, rights: rights)
        default: break
        }
        return response
    }

    /// A request that carried the session's cookie and met RT's login
    /// redirect (a session RT ended in a way that does not fall through to
    /// the token) is sent again with the token alone.
    func send(_ request: HTTPRequest, path: String) async throws(RequestTrackerError) -> HTTPResponse {
        do {
            let response = try await client.send(request)
            guard [302, 303].contains(response.status), let session,
                  request.headers.contains(where: { $0.name == "Cookie" }) else { return response }
            await session.refused()
            var again = request
            again.headers.removeAll { $0.name == "Cookie" || $0.name == "Referer" }
            return try await client.send(again)
        } catch {
            throw .noAnswer(server: server, detail: "\(error)")
        }
    }

    /// 200/201 pass; anything else becomes the error that names its cause.
    func check(_ response: HTTPResponse, path: String, rights: String) throws(RequestTrackerError) {
        let message = Self.message(in: response)
        switch response.status {
        case 200, 201: return
        case 401: throw .tokenRefused(server: server, user: user, message: message)
        case 403: throw .forbidden(server: server, user: user, path: path, rights: rights, message: message)
        case 302, 303:
            throw .rejected(server: server, path: path, status: response.status,
                            message: "a redirect to \(response.header("Location") ?? "somewhere else") (RT sends browsers and requests with a cookie to its login page)")
        case 500...: throw .serverError(server: server, path: path, status: response.status, message: message)
        case 404 where !(response.header("Content-Type") ?? "").lowercased().contains("json"):
            // REST2 answers its 404s in JSON; a plain one is the web server's: no RT under this path.
            throw .unexpectedAnswer(server: server, path: path, detail: "404 and \(response.sketch)")
        default: throw .rejected(server: server, path: path, status: response.status, message: message)
        }
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPResponse, path: String) throws(RequestTrackerError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw .unexpectedAnswer(server: server, path: path, detail: response.sketch)
        }
    }

    /// The token always; the web session's cookie when there is one (RT
    /// tries it first and falls back to the token). A POST with a cookie
    /// names RT as its referrer, or RT's CSRF check (`RestrictReferrer`)
    /// refuses the cookie, and the token is checked after all.
    private func headers(posting: Bool) async -> [HTTPHeader] {
        var headers = [HTTPHeader("Authorization", "token " + token.value), HTTPHeader("Accept", "application/json"),
                       HTTPHeader("User-Agent", "agentctl-rt/1 (REST2 client)")]
        if let cookie = await session?.cookieHeader() {
            headers.append(HTTPHeader("Cookie", cookie))
            if posting { headers.append(HTTPHeader("Referer", server + "/")) }
        }
        return headers
    }

    /// REST2's own words from an error body (`{"message":…}`), else the
    /// start of the text. Never the request's.
    static func message(in response: HTTPResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
           let message = object["message"] as? String {
            return message.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return response.bodyHead
    }

}
