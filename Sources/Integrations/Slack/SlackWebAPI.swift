import Foundation
import HTTPClient

/// Calls of Slack's Web API with the bot token as a Bearer header. A call
/// succeeds only on HTTP 200 with `"ok": true` (what python-slack-sdk's
/// `SlackResponse.validate` checks); `{"ok":false,"error":…}` becomes the
/// `SlackError` that says what to do. A 429 holds back that method alone
/// (`SlackRateGate`) for its `Retry-After`; a wait of at most
/// `longestWait` is waited out here (at most `rateLimitWaits` times), a
/// longer one is left to the agent's retry schedule.
struct SlackWebAPI: Sendable {
    let base: String
    let token: ResolvedSecret
    let client: any HTTPSending
    let gate: SlackRateGate

    static let longestWait = Duration.seconds(60)
    static let rateLimitWaits = 2
    /// Slack's answer when a 429 carries no Retry-After (unverified: Slack
    /// documents that it always sends one).
    static let defaultWait = Duration.seconds(30)

    /// The base without a trailing slash, refused when it is no http(s) URL.
    static func base(_ url: String) throws(SlackError) -> String {
        var base = url.trimmingCharacters(in: .whitespaces)
        let lower = base.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), URLComponents(string: base)?.host?.isEmpty == false else {
            throw .badSettings(reason: "api_url '\(url)' is not an http(s) URL; leave it out for https://slack.com/api")
        }
        guard !base.contains("?"), !base.contains("#"), !base.contains("@") else {
            throw .badSettings(reason: "api_url '\(url)' has a query, fragment or user; write the API's base only, like https://slack.com/api")
        }
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// POSTs `json` to `method`; returns the answer's object.
    func call(_ method: String, json: [String: Any], context: String = "") async throws -> SlackObject {
        let body = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        let request = HTTPRequest(method: "POST", url: "\(base)/\(method)",
                                  headers: [HTTPHeader("Content-Type", "application/json; charset=utf-8"),
                                            HTTPHeader("Authorization", "Bearer " + token.value)],
                                  body: Array(body), idempotent: method != "chat.postMessage")
        return try await send(request, method: method, context: context)
    }

    /// GETs `method` with `query`; returns the answer's object.
    func get(_ method: String, query: [(String, String)], context: String = "") async throws -> SlackObject {
        let text = query.map { "\($0.0)=\(Self.escaped($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(method: "GET", url: "\(base)/\(method)" + (text.isEmpty ? "" : "?" + text),
                                  headers: [HTTPHeader("Authorization", "Bearer " + token.value)])
        return try await send(request, method: method, context: context)
    }

    static func escaped(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// `context`: the channel, for an error that names it.
    private func send(_ request: HTTPRequest, method: String, context: String) async throws -> SlackObject {
        var waits = 0
        while true {
            if let wait = await gate.delay(for: method) {
                guard wait <= Self.longestWait, waits < Self.rateLimitWaits else {
                    throw SlackError.rateLimited(method: method, retryAfter: wait)
                }
                waits += 1
                try await Task.sleep(for: wait)
                continue
            }
            let response: HTTPResponse
            do {
                response = try await client.send(request)
            } catch let error as CancellationError {
                throw error
            } catch {
                throw SlackError.noAnswer(method: method, detail: "\(error)")
            }
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
            let error = object?["error"] as? String ?? ""
            if response.status == 429 || (response.status == 200 && error == "ratelimited") {
                let wait = Self.retryAfter(response) ?? Self.defaultWait
                await gate.hold(method, for: wait)
                if waits >= Self.rateLimitWaits || wait > Self.longestWait {
                    throw SlackError.rateLimited(method: method, retryAfter: wait)
                }
                continue
            }
            switch response.status {
            case 200: break
            case 401, 403: throw SlackError.badToken(method: method, error: error.isEmpty ? "HTTP \(response.status)" : error)
            case 500...: throw SlackError.serverError(method: method, status: response.status, detail: error.isEmpty ? response.bodyHead : error)
            default: throw SlackError.unexpectedAnswer(method: method, detail: "HTTP \(response.status), " + response.sketch)
            }
            guard let object, let ok = object["ok"] as? Bool else {
                throw SlackError.unexpectedAnswer(method: method, detail: response.sketch)
            }
            if ok { return SlackObject(object) }
            throw Self.failure(method: method, error: error, object: object, context: context)
        }
    }

    static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let text = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces), let seconds = Int(text), seconds >= 0 else {
            return nil
        }
        return .seconds(min(seconds, 86_400))
    }

    /// `{"ok":false,"error":…}` as the error that says what to do.
    static func failure(method: String, error: String, object: [String: Any], context: String) -> SlackError {
        switch error {
        case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "no_permission", "org_login_required",
             "ekm_access_denied", "team_access_not_granted":
            return .badToken(method: method, error: error)
        case "missing_scope":
            return .missingScope(method: method, needed: object["needed"] as? String ?? "")
        case "channel_not_found", "not_in_channel", "is_archived", "restricted_action", "restricted_action_read_only_channel",
             "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel", "cannot_reply_to_message":
            return .channelRefused(method: method, error: error, channel: context)
        case "fatal_error", "internal_error", "service_unavailable", "request_timeout":
            return .serverError(method: method, status: 200, detail: error)
        default:
            return .rejected(method: method, error: error.isEmpty ? "no error named" : error)
        }
    }

    /// Posts a slash command's answer to its response_url (no token: the
    /// URL itself is the credential, valid 30 minutes).
    func respond(to url: String, json: [String: Any]) async throws {
        let body = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(method: "POST", url: url,
                                                         headers: [HTTPHeader("Content-Type", "application/json; charset=utf-8")],
                                                         body: Array(body)))
        } catch let error as CancellationError {
            throw error
        } catch {
            throw SlackError.noAnswer(method: "response_url", detail: "\(error)")
        }
        if response.status == 429 {
            throw SlackError.rateLimited(method: "response_url", retryAfter: Self.retryAfter(response))
        }
        if response.status >= 500 {
            throw SlackError.serverError(method: "response_url", status: response.status, detail: response.bodyHead)
        }
        guard (200..<300).contains(response.status) else {
            throw SlackError.responseURLRefused(status: response.status, detail: response.bodyHead)
        }
        // A 200 may still carry {"ok":false,"error":"expired_url"…}.
        if let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
           object["ok"] as? Bool == false {
            throw SlackError.responseURLRefused(status: response.status, detail: object["error"] as? String ?? "")
        }
    }
}

/// A Web API answer's JSON object. JSONSerialization's objects are
/// immutable once read, so sharing one across tasks is safe.
struct SlackObject: @unchecked Sendable {
    let value: [String: Any]

    init(_ value: [String: Any]) { self.value = value }

    subscript(key: String) -> Any? { value[key] }
}
