import Foundation
import HTTPClient

/// RT's web session, reused by the agent's REST2 requests.
///
/// RT checks an authentication token with bcrypt (`$BcryptCost`, 12 by
/// default) on every request that carries one: about a quarter of a
/// second of RT's CPU each, whatever the request, and a ticket costs the
/// agent five requests or more. REST2 also accepts the session cookie of
/// RT's web UI (`RT::REST2::Middleware::Auth`, `login_from_cookie`, tried
/// before the token), and the web UI logs a request carrying the token
/// in and starts a session (`RT::Interface::Web`,
/// `AttemptTokenAuthentication`). So the agent asks RT's home page once
/// with its token, keeps the `RT_SID_…` cookie it gets, and sends it with
/// every REST2 request, beside the token. A session RT no longer knows
/// falls through to the token, so nothing fails when it ends; it is
/// renewed after `lifetime` all the same. See docs/request-tracker.md.
actor RequestTrackerSession {
    /// How long a session is used before a new one is asked for.
    static let lifetime: TimeInterval = 600
    /// After a failed attempt (no cookie came back), how long the token
    /// alone is used before trying again.
    static let pause: TimeInterval = 300

    private let server: String
    private let user: String
    private let token: ResolvedSecret
    private let client: any HTTPSending
    private let now: @Sendable () -> Date
    private var cookie: String?
    private var startedAt = Date.distantPast
    private var pausedUntil = Date.distantPast
    private var pending: Task<String?, Never>?

    init(server: String, user: String, token: ResolvedSecret, client: any HTTPSending, now: @escaping @Sendable () -> Date = { Date() }) {
        self.server = server
        self.user = user
        self.token = token
        self.client = client
        self.now = now
    }

    /// The `Cookie` header value to send, starting or renewing the
    /// session when due; nil when RT gave none (the token alone then).
    func cookieHeader() async -> String? {
        let time = now()
        if let cookie, time.timeIntervalSince(startedAt) < Self.lifetime { return cookie }
        if time < pausedUntil { return nil }
        if let pending { return await pending.value }
        let task = Task { await self.start() }
        pending = task
        let got = await task.value
        pending = nil
        if let got {
            cookie = got
            startedAt = now()
        } else {
            cookie = nil
            pausedUntil = now().addingTimeInterval(Self.pause)
        }
        return got
    }

    /// RT answered a request carrying the cookie as if no one were logged
    /// in (a redirect to its login page): the token alone for a while.
    func refused() {
        cookie = nil
        pausedUntil = now().addingTimeInterval(Self.pause)
    }

    /// The home page with the token, then the cookie it set, alone, on
    /// the agent's own user record: RT starts a session for anyone who
    /// asks (its login page, for a refused token), so a cookie counts only
    /// once REST2 has taken it as the agent.
    private func start() async -> String? {
        let agent = [HTTPHeader("User-Agent", "agentctl-rt/1 (REST2 client)")]
        let home = HTTPRequest(url: server + "/", headers: agent + [HTTPHeader("Authorization", "token " + token.value)])
        guard let answer = try? await client.send(home), answer.status == 200,
              let cookie = Self.sessionCookie(in: answer.headers) else { return nil }
        let user = self.user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self.user
        let check = HTTPRequest(url: server + "/REST/2.0/user/" + user,
                                headers: agent + [HTTPHeader("Cookie", cookie), HTTPHeader("Accept", "application/json")])
        guard let checked = try? await client.send(check), checked.status == 200 else { return nil }
        return cookie
    }

    /// `RT_SID_<name>.<port>=<id>` from the answer's Set-Cookie headers.
    static func sessionCookie(in headers: [HTTPHeader]) -> String? {
        for header in headers where header.name.lowercased() == "set-cookie" {
            guard let pair = header.value.split(separator: ";", maxSplits: 1).first else { continue }
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("RT_SID_"), let equals = trimmed.firstIndex(of: "="),
                  trimmed.index(after: equals) < trimmed.endIndex else { continue }
            return trimmed
        }
        return nil
    }
}
