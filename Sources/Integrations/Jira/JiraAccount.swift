import Foundation

/// The agent's own Atlassian account as `/rest/api/3/myself` tells it,
/// asked once per process: its id (its comments are never read as
/// someone's text) and its profile timezone (JQL dates, `JiraQuery`).
struct JiraAccount: Sendable, Equatable {
    var accountID: String
    /// Nil when the profile names none or a zone this machine does not know.
    var zone: TimeZone?
}

/// Remembers the account between polls.
actor JiraAccountMemory {
    private(set) var account: JiraAccount?

    func remember(_ account: JiraAccount) { self.account = account }
}
