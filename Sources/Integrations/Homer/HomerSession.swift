import Foundation
import HTTPClient

/// The login to one Homer server: logs in on first use, keeps the JWT and
/// sends it as `Authorization: Bearer`, and logs in again once when a
/// request is answered 401 (the token outlived homer-app's
/// `auth_settings.token_expire`). Concurrent requests share one login.
actor HomerSession {
    let server: String
    private let username: String
    private let password: ResolvedSecret
    private let client: any HTTPSending
    private let token = SharedLogin<String>()

    init(server: String, username: String, password: ResolvedSecret, client: any HTTPSending) {
        self.server = server
        self.username = username
        self.password = password
        self.client = client
    }

    /// Sends `request` with the token; a 401 costs one new login and one
    /// retry, and a second 401 is `tokenRefused`. Any other answer is the
    /// caller's to judge.
    func send(_ request: HTTPRequest, path: String) async throws(HomerError) -> HTTPResponse {
        let used = try await currentToken()
        let first = try await transport(authorized(request, used), path: path)
        guard first.status == 401 else { return first }
        let fresh = try await login(replacing: used)
        let second = try await transport(authorized(request, fresh), path: path)
        if second.status == 401 {
            throw .tokenRefused(server: server, path: path, message: HomerSession.message(in: second))
        }
        return second
    }

    private func currentToken() async throws(HomerError) -> String {
        try await typed { try await self.token.current { try await self.logIn() } }
    }

    private func login(replacing stale: String?) async throws(HomerError) -> String {
        try await typed { try await self.token.renew(replacing: stale) { try await self.logIn() } }
    }

    private func typed(_ body: () async throws -> String) async throws(HomerError) -> String {
        do {
            return try await body()
        } catch let error as HomerError {
            throw error
        } catch {
            throw .noAnswer(server: server, detail: "\(error)")
        }
    }

    private func logIn() async throws(HomerError) -> String {
        let path = "/api/v3/auth"
        // Idempotent: a second login after a lost answer only issues another token.
        let request = HTTPRequest(method: "POST", url: server + path,
                                  headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")],
                                  body: HomerRequests.login(username: username, password: password), idempotent: true)
        let response = try await transport(request, path: path)
        switch response.status {
        case 200, 201:
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                  let token = object["token"] as? String, !token.isEmpty else {
                throw .unexpectedAnswer(server: server, path: path, detail: response.sketch)
            }
            return token
        case 401:
            throw .badCredentials(server: server, username: username, message: HomerSession.message(in: response))
        case 500...:
            throw .serverError(server: server, path: path, status: response.status, message: HomerSession.message(in: response))
        default:
            throw .rejected(server: server, path: path, status: response.status, message: HomerSession.message(in: response))
        }
    }

    private func transport(_ request: HTTPRequest, path: String) async throws(HomerError) -> HTTPResponse {
        do {
            return try await client.send(request)
        } catch {
            throw .noAnswer(server: server, detail: "\(error)")
        }
    }

    private func authorized(_ request: HTTPRequest, _ token: String) -> HTTPRequest {
        var request = request
        request.headers.removeAll { $0.name.lowercased() == "authorization" }
        request.headers.append(HTTPHeader("Authorization", "Bearer " + token))
        return request
    }

    /// homer-app's own words from an error body: the `message` of its
    /// JSON, else the start of the text. Never the request's.
    static func message(in response: HTTPResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
           let message = object["message"] as? String {
            return message
        }
        return response.bodyHead
    }
}
