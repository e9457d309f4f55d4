import Foundation
import HTTPClient

/// Jira Cloud's REST calls as one account: Basic `email:api_token` on
/// every request, answers turned into values or into `JiraError`s that say
/// what to do.
///
/// Retries of 5xx and lost connections are the HTTP client's
/// (`RetryPolicy`), which also waits out a 429 or 503 `Retry-After`. Jira
/// may answer 429 without `Retry-After` but with `X-RateLimit-Reset` (an
/// ISO 8601 time): the client cannot read that, so when a 429 comes back
/// from it this layer waits until the reset (or the `Retry-After`) itself,
/// at most `maxRateLimitWait` per wait and `rateLimitRounds` times, then
/// gives up with `rateLimited` for the agent's own back-off. A 429 means
/// Jira did nothing, so a comment is sent again too.
struct JiraREST: Sendable {
    /// The site as configured (for messages): `https://example.atlassian.net`.
    let site: String
    let email: String
    private let authorization: String
    private let client: any HTTPSending
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void

    static let maxRateLimitWait: TimeInterval = 60
    static let rateLimitRounds = 3

    init(site: String, email: String, token: ResolvedSecret, client: any HTTPSending, now: @escaping @Sendable () -> Date,
         sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.site = site
        self.email = email
        authorization = "Basic " + Data("\(email):\(token.value)".utf8).base64EncodedString()
        self.client = client
        self.now = now
        self.sleep = sleep
    }

    /// The JSON at `path`, with `query` percent-encoded.
    func get<Value: Decodable>(_ type: Value.Type, _ path: String, query: [(String, String)] = [], needs: String,
                               issue: String? = nil) async throws(JiraError) -> Value {
        let request = HTTPRequest(method: "GET", url: site + path + QueryString.encode(query), headers: headers())
        let response = try await send(request, path: path)
        try check(response, path: path, needs: needs, issue: issue)
        return try decode(type, response, path: path)
    }

    /// POSTs `json`; the answer once the shared checks passed.
    func post(_ path: String, json: [UInt8], needs: String, issue: String?) async throws(JiraError) -> HTTPResponse {
        var headers = headers()
        headers.append(HTTPHeader("Content-Type", "application/json"))
        let request = HTTPRequest(method: "POST", url: site + path, headers: headers, body: json)
        let response = try await send(request, path: path)
        try check(response, path: path, needs: needs, issue: issue)
        return response
    }

    /// Sends, waiting out a 429 the client returned (see the type's comment).
    func send(_ request: HTTPRequest, path: String) async throws(JiraError) -> HTTPResponse {
        var round = 0
        while true {
            let response: HTTPResponse
            do {
                response = try await client.send(request)
            } catch {
                throw .noAnswer(site: site, detail: "\(error)")
            }
            guard response.status == 429 else { return response }
            let reset = response.header("X-RateLimit-Reset")
            round += 1
            guard round <= Self.rateLimitRounds, let wait = Self.wait(response, now: now()), wait <= Self.maxRateLimitWait else {
                throw .rateLimited(site: site, path: path, until: reset ?? response.header("Retry-After").map { "\($0) s from then" })
            }
            do {
                try await sleep(.milliseconds(Int64((wait * 1000).rounded(.up))))
            } catch {
                throw .noAnswer(site: site, detail: "cancelled while waiting out a 429 on \(path)")
            }
        }
    }

    /// How long a 429 asks to wait: `Retry-After` seconds, else until
    /// `X-RateLimit-Reset`; a reset already past waits a second. Nil when
    /// it says neither (the client's back-off was already spent).
    static func wait(_ response: HTTPResponse, now: Date) -> TimeInterval? {
        if let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces), let seconds = Int(value), seconds >= 0 {
            return TimeInterval(max(seconds, 1))
        }
        if let value = response.header("X-RateLimit-Reset"), let reset = JiraTime.parse(value.trimmingCharacters(in: .whitespaces)) {
            return max(reset.timeIntervalSince(now), 1)
        }
        return nil
    }

    /// 200/201/204 pass; anything else becomes the error that names its cause.
    func check(_ response: HTTPResponse, path: String, needs: String, issue: String?) throws(JiraError) {
        let message = Self.message(in: response)
        switch response.status {
        case 200, 201, 204: return
        case 401: throw .credentialsRefused(site: site, email: email, message: message)
        case 403: throw .forbidden(site: site, email: email, path: path, needs: needs, message: message)
        case 404 where issue != nil: throw .issueNotFound(site: site, key: issue!, path: path, message: message)
        case 404 where !(response.header("Content-Type") ?? "").lowercased().contains("json"):
            throw .unexpectedAnswer(site: site, path: path, detail: "404 and \(response.sketch)")
        case 410: throw .endpointRemoved(site: site, path: path, message: message)
        case 429: throw .rateLimited(site: site, path: path, until: response.header("X-RateLimit-Reset"))
        case 500...: throw .serverError(site: site, path: path, status: response.status, message: message)
        default: throw .rejected(site: site, path: path, status: response.status, message: message)
        }
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPResponse, path: String) throws(JiraError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw .unexpectedAnswer(site: site, path: path, detail: response.sketch)
        }
    }

    private func headers() -> [HTTPHeader] {
        [HTTPHeader("Authorization", authorization), HTTPHeader("Accept", "application/json"),
         HTTPHeader("User-Agent", "agentctl-jira/1")]
    }

    /// Jira's own words from an error body: `errorMessages` and `errors`
    /// (platform API), `errorMessage` (service desk API) or `message`;
    /// else the start of the text. Never the request's.
    static func message(in response: HTTPResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            var parts: [String] = []
            if let list = object["errorMessages"] as? [String] { parts += list }
            if let errors = object["errors"] as? [String: Any] {
                parts += errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            }
            if let single = object["errorMessage"] as? String { parts.append(single) }
            if let single = object["message"] as? String { parts.append(single) }
            let joined = parts.joined(separator: "; ").trimmingCharacters(in: .whitespacesAndNewlines)
            if !joined.isEmpty { return String(joined.prefix(500)) }
        }
        return response.bodyHead
    }

}
