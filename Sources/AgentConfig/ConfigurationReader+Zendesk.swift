import Annotation
import Yams

/// The `zendesk` section: one entry per Zendesk Support account.
extension ConfigurationReader {
    static let zendeskKeys = ["name", "url", "email", "token_env", "token_file", "poll_interval", "look_back", "markup",
                              "max_characters", "export_requests_per_minute"]

    mutating func zendesk(_ node: Node, path: String) -> ZendeskSettings? {
        guard let t = table(node, path: path, what: "a Zendesk account") else { return nil }
        checkKeys(t, allowed: Self.zendeskKeys)
        let name = required("name", in: t, example: "name: zendesk-support").flatMap { backendName($0, in: t) }
        let url = required("url", in: t, example: "url: https://acme.zendesk.com").flatMap { string($0, in: t) }
        let email = required("email", in: t, example: "email: sipdiag@acme.example").flatMap { string($0, in: t) }
        let token = secret("token", in: t, required: true)
        if let url, let e = t.entry("url") { checkServiceURL(url, entry: e, in: t, example: "https://acme.zendesk.com", sendsSecret: token != nil) }
        if let email, let e = t.entry("email"), !email.contains("@") || email.contains("/") || email.contains(":") {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "email"),
                "\"\(email)\" is not a sign-in address; write the agent user's address, like sipdiag@acme.example (without /token: the agent adds it)"))
        }
        // Read on without the required keys, so the others' mistakes are named too.
        var s = ZendeskSettings(name: name ?? "", baseURL: url ?? "", email: email ?? "", token: token ?? .environment("_"))
        if let e = t.entry("poll_interval"), let d = duration(e, in: t) { s.pollInterval = d }
        if let e = t.entry("look_back"), let d = duration(e, in: t) { s.lookBack = d }
        if let e = t.entry("markup"), let m = choice(e, in: t, TextMarkup.self) {
            if m == .markdown {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "markup"),
                    "a Zendesk comment is HTML or plain text, not Markdown (its asterisks would show); write html or plain"))
            } else {
                s.markup = m
            }
        }
        if let e = t.entry("max_characters"), let n = integer(e, in: t, range: 1000...60_000) { s.maxCharacters = n }
        if let e = t.entry("export_requests_per_minute"), let n = integer(e, in: t, range: 1...10) { s.exportRequestsPerMinute = n }
        guard name != nil, url != nil, email != nil, token != nil else { return nil }
        return s
    }
}
