import Foundation

/// Where the next poll of a Jira site starts: the newest `updated` seen
/// (the watermark), and the issues already handed over within the overlap
/// before it, each with the `updated` it had then.
///
/// JQL compares `updated` to the minute, and search results are
/// eventually consistent, so every poll asks from a minute before the
/// watermark (rounded down to the minute). Issues that come back unchanged
/// in that overlap are passed over through `handed`; one that changed has
/// a new `updated` and is handed over again (the agent's intake works out
/// which Call-IDs are new).
///
/// Written as `2026-12-02T13:50:47.123Z` followed by
/// ` SUP-12@1764683447123,SUP-13@…` (key@updated in epoch milliseconds).
struct JiraCursor: Sendable, Equatable {
    var watermark: Date
    /// Issue key → its `updated` (epoch ms) when handed over.
    var handed: [String: Int64]

    /// How far before the watermark each poll looks again.
    static let overlap: TimeInterval = 60

    init(watermark: Date, handed: [String: Int64] = [:]) {
        self.watermark = watermark
        self.handed = handed
    }

    init(parsing text: String) throws(JiraError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 1 || parts.count == 2, let time = JiraTime.parse(String(parts[0])) else {
            throw .badCursor(cursor: text)
        }
        var handed: [String: Int64] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: ",") {
                let sides = pair.split(separator: "@")
                guard sides.count == 2, let at = Int64(sides[1]), (try? JiraIssueKey.check(String(sides[0]))) != nil else {
                    throw .badCursor(cursor: text)
                }
                handed[String(sides[0])] = at
            }
        }
        self.init(watermark: time, handed: handed)
    }

    var text: String {
        let time = JiraTime.format(watermark)
        guard !handed.isEmpty else { return time }
        return time + " " + handed.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: ",")
    }

    /// From when a poll after this cursor takes issues: the overlap before the watermark.
    var from: Date { watermark.addingTimeInterval(-Self.overlap) }
}

/// The poll's JQL: bounded below by `updated`, oldest first.
enum JiraQuery {
    /// Whether Jira reads a JQL date in the account's profile timezone or
    /// in UTC is unverified (backends.md section 6): the date written is
    /// the earlier of the two readings' texts, so that either reading
    /// starts at or before `from`; the back-end drops what comes back from
    /// before it. With no known zone the date is written in UTC, 14 hours
    /// earlier (the widest offset there is).
    static func lowerBound(_ from: Date, zone: TimeZone?) -> String {
        let utc = TimeZone(identifier: "UTC")!
        guard let zone else { return JiraTime.jql(from.addingTimeInterval(-14 * 3600), in: utc) }
        return min(JiraTime.jql(from, in: zone), JiraTime.jql(from, in: utc))
    }

    static func jql(from: Date, zone: TimeZone?, project: String?, extra: String?) -> String {
        var clauses: [String] = []
        if let project { clauses.append("project = \"\(quoted(project))\"") }
        clauses.append("updated >= \"\(lowerBound(from, zone: zone))\"")
        if let extra = extra?.trimmingCharacters(in: .whitespacesAndNewlines), !extra.isEmpty { clauses.append("(\(extra))") }
        return clauses.joined(separator: " AND ") + " ORDER BY updated ASC, key ASC"
    }

    /// A JQL string literal's inside.
    static func quoted(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
