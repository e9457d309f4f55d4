import Foundation

/// Why Jira could not be polled or answered, each case saying what to
/// change or check. No case carries the API token.
public enum JiraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot make a request: `reason` says what to write.
    case badSettings(reason: String)
    /// No answer to use: the HTTP client's error (connection refused,
    /// timed out, still 5xx after its retries).
    case noAnswer(site: String, detail: String)
    /// 401: the e-mail and API token do not log in.
    case credentialsRefused(site: String, email: String, message: String)
    /// 403: the account lacks a permission for `path`; `needs` names it.
    case forbidden(site: String, email: String, path: String, needs: String, message: String)
    /// 404 on an issue or request: gone, moved, or not visible to the account.
    case issueNotFound(site: String, key: String, path: String, message: String)
    /// 410: Atlassian removed the endpoint (the old `/rest/api/3/search`).
    case endpointRemoved(site: String, path: String, message: String)
    /// 429 still, after the waits the client and this back-end allow.
    case rateLimited(site: String, path: String, until: String?)
    /// 400 on the search: the JQL (project key or the configured extra JQL).
    case badQuery(site: String, jql: String, message: String)
    /// A 5xx: Jira failed.
    case serverError(site: String, path: String, status: Int, message: String)
    /// Another status than the API answers with on success.
    case rejected(site: String, path: String, status: Int, message: String)
    /// A success whose body is not the API's JSON.
    case unexpectedAnswer(site: String, path: String, detail: String)
    /// The stored cursor is not one this back-end wrote.
    case badCursor(cursor: String)

    public var description: String {
        switch self {
        case .badSettings(let reason):
            return "Jira back-end: \(reason)"
        case .noAnswer(let site, let detail):
            return "asking Jira at \(site) failed: \(detail)"
        case .credentialsRefused(let site, let email, let message):
            return "Jira at \(site) refused the API token of \(email) (401\(Self.said(message))); check that the token the configuration points at (token_env or token_file) is a current API token of that Atlassian account (id.atlassian.com ▸ Security ▸ API tokens) and that email is the account's e-mail"
        case .forbidden(let site, let email, let path, let needs, let message):
            return "Jira at \(site) refused \(path) to \(email) (403\(Self.said(message))); give that account \(needs)"
        case .issueNotFound(let site, let key, let path, let message):
            return "Jira at \(site) has no issue \(key) the account may see at \(path) (404\(Self.said(message))); the issue was deleted or moved, or the account lacks Browse projects on its project (for the service desk API: it must be an agent of the issue's service desk, and the issue a request)"
        case .endpointRemoved(let site, let path, let message):
            return "Jira at \(site) answered 410 Gone to \(path)\(Self.said(message)): Atlassian removed that endpoint (the old /rest/api/3/search and /rest/api/2/search were replaced by /rest/api/3/search/jql, CHANGE-2046); this agent must be updated to the endpoint Jira names"
        case .rateLimited(let site, let path, let until):
            return "Jira at \(site) still rate-limits \(path) (429\(until.map { ", until \($0)" } ?? "")) after waiting; the agent tries again on its next round. If it persists, poll less often (poll_interval) or narrow the JQL"
        case .badQuery(let site, let jql, let message):
            return "Jira at \(site) refused the search \(jql) (400\(Self.said(message))); check project and the extra jql in the configuration"
        case .serverError(let site, let path, let status, let message):
            return "Jira at \(site) failed on \(path) (\(status)\(Self.said(message))); Jira is in trouble (see status.atlassian.com), the agent tries again later"
        case .rejected(let site, let path, let status, let message):
            return "Jira at \(site) answered \(status) to \(path)\(Self.said(message)); check that url is the site's address (https://SITE.atlassian.net) and that the account may do this"
        case .unexpectedAnswer(let site, let path, let detail):
            return "Jira at \(site) answered \(path) with \(detail), not Jira's JSON; check that url is the Jira site's address (https://SITE.atlassian.net), not a proxy's page or another service"
        case .badCursor(let cursor):
            return "the stored Jira cursor '\(cursor.prefix(80))' is not one this back-end wrote; remove it from the store to start again from the configured look-back"
        }
    }

    private static func said(_ message: String) -> String { message.isEmpty ? "" : ": \(message)" }
}
