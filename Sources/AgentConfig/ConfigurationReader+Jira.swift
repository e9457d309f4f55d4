import Yams

/// The `jira` section: a list of Jira Service Management sites.
extension ConfigurationReader {
    static let jiraKeys = ["name", "url", "email", "token_env", "token_file", "project", "jql", "poll_interval", "look_back",
                           "page_size", "max_characters", "post_format"]

    mutating func jira(_ node: Node, path: String) -> JiraSettings? {
        guard let t = table(node, path: path, what: "a Jira site") else { return nil }
        checkKeys(t, allowed: Self.jiraKeys)
        let name = required("name", in: t, example: "name: jsm-support").flatMap { backendName($0, in: t) }
        let url = required("url", in: t, example: "url: https://example.atlassian.net").flatMap { string($0, in: t) }
        let email = required("email", in: t, example: "email: sipdiag-agent@example.net").flatMap { string($0, in: t) }
        let token = secret("token", in: t, required: true)
        if let url, let e = t.entry("url") {
            checkServiceURL(url, entry: e, in: t, example: "https://example.atlassian.net", sendsSecret: token != nil)
        }
        if let email, !email.contains("@") || email.contains(":"), let e = t.entry("email") {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "email"),
                "\"\(email)\" is not an e-mail address; write the e-mail of the Atlassian account the API token belongs to"))
        }
        var s = JiraSettings(name: name ?? "", baseURL: url ?? "", email: email ?? "", token: token ?? .environment("_"))
        if let e = t.entry("project"), let p = string(e, in: t) {
            if let first = p.first, first.isASCII, first.isLetter, p.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                s.project = p
            } else {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "project"),
                    "\"\(p)\" is not a Jira project key; write the key (like SUP), not the project's name"))
            }
        }
        if let e = t.entry("jql"), let q = string(e, in: t) {
            if q.lowercased().contains("order by") {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "jql"),
                    "holds an ORDER BY; write only conditions (status != Done): the agent orders by updated itself"))
            } else {
                s.jql = q
            }
        }
        if let e = t.entry("poll_interval"), let d = duration(e, in: t) { s.pollInterval = d }
        if let e = t.entry("look_back"), let d = duration(e, in: t) { s.lookBack = d }
        if let e = t.entry("page_size"), let n = integer(e, in: t, range: 1...100) { s.pageSize = n }
        if let e = t.entry("max_characters"), let n = integer(e, in: t, range: 1000...32_767) { s.maxCharacters = n }
        if let e = t.entry("post_format"), let f = choice(e, in: t, JiraSettings.PostFormat.self) { s.postFormat = f }
        guard name != nil, url != nil, email != nil, token != nil else { return nil }
        return s
    }
}
