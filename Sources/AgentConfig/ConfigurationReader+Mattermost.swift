import Yams

/// SEAM (issue 10, the mattermost piece owns it): the `mattermost` section.
extension ConfigurationReader {
    static let mattermostKeys = ["name"]

    mutating func mattermost(_ node: Node, path: String) -> MattermostSettings? {
        guard let t = table(node, path: path, what: "mattermost") else { return nil }
        checkKeys(t, allowed: Self.mattermostKeys)
        guard let e = t.entry("name"), let name = backendName(e, in: t) else { return nil }
        return MattermostSettings(name: name)
    }
}
