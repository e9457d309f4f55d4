import Yams

/// SEAM (issue 10, the slack piece owns it): the `slack` section.
extension ConfigurationReader {
    static let slackKeys = ["name"]

    mutating func slack(_ node: Node, path: String) -> SlackSettings? {
        guard let t = table(node, path: path, what: "slack") else { return nil }
        checkKeys(t, allowed: Self.slackKeys)
        guard let e = t.entry("name"), let name = backendName(e, in: t) else { return nil }
        return SlackSettings(name: name)
    }
}
