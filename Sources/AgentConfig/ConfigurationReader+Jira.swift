import Yams

/// SEAM (issue 10, the jira piece owns it): the `jira` section.
extension ConfigurationReader {
    static let jiraKeys = ["name"]

    mutating func jira(_ node: Node, path: String) -> JiraSettings? {
        guard let t = table(node, path: path, what: "jira") else { return nil }
        checkKeys(t, allowed: Self.jiraKeys)
        guard let e = t.entry("name"), let name = backendName(e, in: t) else { return nil }
        return JiraSettings(name: name)
    }
}
