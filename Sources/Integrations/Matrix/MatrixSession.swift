import Foundation
import HTTPClient

/// The agent's login on one homeserver: logs in on first use with the
/// fixed device id, keeps the access token and sends it as
/// `Authorization: Bearer`, and logs in again once when a request is
/// answered 401 `M_UNKNOWN_TOKEN` (the token was logged out or expired).
/// Concurrent requests share one login. A 429 whose wait the HTTP client
/// did not take (no `Retry-After` header, only the body's
/// `retry_after_ms`) is waited out here once when it is short.
actor MatrixSession {
    /// Who the agent is, as the homeserver said at login.
    struct Identity: Sendable, Equatable {
        var userID: String
        var deviceID: String
        /// Prints as `<secret>`, like the password.
        var accessToken: ResolvedSecret
    }

    let server: String
    private let user: String
    private let password: ResolvedSecret
    private let deviceID: String
    private let client: any HTTPSending
    private let maxRateLimitWait: Duration
    private let identity = SharedLogin<Identity>()

    init(server: String, user: String, password: ResolvedSecret, deviceID: String, client: any HTTPSending,
         maxRateLimitWait: Duration = .seconds(30)) {
        self.server = server
        self.user = user
        self.password = password
        self.deviceID = deviceID
        self.client = client
        self.maxRateLimitWait = maxRateLimitWait
    }

    /// The user id, logging in if not yet done.
    func userID() async throws(MatrixError) -> String {
        try await current().userID
    }

    /// Sends a request to `path` (under the server, query included) with
    /// the token. Answers with any status but 401 and 429 are the caller's
    /// to judge; a 401 costs one new login and one retry, a second 401 is
    /// `tokenRefused`; a 429 still there after the waits is `rateLimited`.
    func send(_ method: String, _ path: String, json body: [UInt8]? = nil, idempotent: Bool? = nil,
              label: String? = nil) async throws(MatrixError) -> MatrixAnswer {
        let label = label ?? Self.label(path)
        var headers = [HTTPHeader("Accept", "application/json")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let request = HTTPRequest(method: method, url: server + path, headers: headers, body: body ?? [], idempotent: idempotent)
        let used = try await current()
        var answer = try await limited(authorized(request, used), label: label)
        if answer.status == 401 {
            let fresh = try await login(replacing: used)
            answer = try await limited(authorized(request, fresh), label: label)
            if answer.status == 401 {
                throw .tokenRefused(server: server, path: label, message: answer.message)
            }
        }
        return answer
    }

    private func current() async throws(MatrixError) -> Identity {
        try await typed { try await self.identity.current { try await self.logIn() } }
    }

    private func login(replacing stale: Identity?) async throws(MatrixError) -> Identity {
        try await typed { try await self.identity.renew(replacing: stale) { try await self.logIn() } }
    }

    private func typed(_ body: () async throws -> Identity) async throws(MatrixError) -> Identity {
        do {
            return try await body()
        } catch let error as MatrixError {
            throw error
        } catch {
            throw .noAnswer(server: server, detail: "\(error)")
        }
    }

    private func logIn() async throws(MatrixError) -> Identity {
        let label = "/_matrix/client/v3/login"
        struct Identifier: Encodable { var type = "m.id.user"; var user: String }
        struct Login: Encodable {
            var type = "m.login.password"
            var identifier: Identifier
            var password: String
            var device_id: String
            var initial_device_display_name = "SIP diagnosis agent"
        }
        let body = MatrixJSON.encode(Login(identifier: Identifier(user: user), password: password.value, device_id: deviceID))
        // Idempotent: a second login after a lost answer only issues another token for the same device.
        let request = HTTPRequest(method: "POST", url: server + label,
                                  headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")],
                                  body: body, idempotent: true)
        let answer = try await limited(request, label: label)
        switch answer.status {
        case 200:
            guard let token = answer.object?["access_token"] as? String, !token.isEmpty,
                  let userID = answer.object?["user_id"] as? String, !userID.isEmpty else {
                throw .unexpectedAnswer(server: server, path: label, detail: answer.response.sketch)
            }
            let device = answer.object?["device_id"] as? String ?? deviceID
            return Identity(userID: userID, deviceID: device, accessToken: ResolvedSecret(token))
        case 401, 403:
            throw .badCredentials(server: server, user: user, message: answer.errorWords)
        case 400 where answer.errcode == "M_INVALID_USERNAME" || answer.errcode == "M_USER_DEACTIVATED":
            throw .badCredentials(server: server, user: user, message: answer.errorWords)
        default:
            throw answer.failure(server: server, path: label)
        }
    }

    /// One exchange; a 429 the client gave back (its `Retry-After` too
    /// long, or none, the client's own back-off spent) is waited out once
    /// if the server's wait is at most `maxRateLimitWait`.
    private func limited(_ request: HTTPRequest, label: String) async throws(MatrixError) -> MatrixAnswer {
        var answer = try await exchange(request, label: label)
        guard answer.status == 429 else { return answer }
        if let wait = answer.retryAfter, wait <= maxRateLimitWait {
            do { try await Task.sleep(for: wait) } catch { throw .noAnswer(server: server, detail: "cancelled while waiting out a rate limit") }
            answer = try await exchange(request, label: label)
        }
        if answer.status == 429 {
            throw .rateLimited(server: server, path: label, retryAfter: answer.retryAfter)
        }
        return answer
    }

    private func exchange(_ request: HTTPRequest, label: String) async throws(MatrixError) -> MatrixAnswer {
        do {
            return MatrixAnswer(try await client.send(request))
        } catch {
            throw .noAnswer(server: server, detail: "\(error)")
        }
    }

    private func authorized(_ request: HTTPRequest, _ identity: Identity) -> HTTPRequest {
        var request = request
        request.headers.append(HTTPHeader("Authorization", "Bearer " + identity.accessToken.value))
        return request
    }

    /// The path without its query, for messages (a sync token or a filter
    /// is noise there).
    static func label(_ path: String) -> String {
        String(path.prefix { $0 != "?" })
    }
}
