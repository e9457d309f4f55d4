import Yams

/// SEAM (issue 10, the zendesk piece owns it): the `zendesk` section.
extension ConfigurationReader {
    static let zendeskKeys = ["name"]

    mutating func zendesk(_ node: Node, path: String) -> ZendeskSettings? {
        guard let t = table(node, path: path, what: "zendesk") else { return nil }
        checkKeys(t, allowed: Self.zendeskKeys)
        guard let e = t.entry("name"), let name = backendName(e, in: t) else { return nil }
        return ZendeskSettings(name: name)
    }
}
