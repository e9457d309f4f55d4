import Yams

/// The `mattermost` section: a list of outgoing webhooks the agent answers.
extension ConfigurationReader {
    static let mattermostKeys = ["name", "path", "token_env", "token_file", "url", "api_token_env", "api_token_file",
                                 "answer_within", "max_characters"]

    mutating func mattermost(_ node: Node, path: String) -> MattermostSettings? {
        guard let t = table(node, path: path, what: "a Mattermost outgoing webhook") else { return nil }
        checkKeys(t, allowed: Self.mattermostKeys)
        let name = required("name", in: t, example: "name: mattermost-noc").flatMap { backendName($0, in: t) }
        let token = secret("token", in: t, required: true)
        let apiToken = secret("api_token", in: t, required: false)
        var s = MattermostSettings(name: name ?? "", token: token ?? .environment("_"), apiToken: apiToken)
        if let e = t.entry("path"), let p = string(e, in: t) {
            if p.hasPrefix("/"), p.count > 1, p.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/-_.".contains($0)) }) {
                s.path = p
            } else {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "path"),
                    "\"\(p)\" is not a listener path; write one starting with /, like /mattermost/\(name ?? "NAME") (letters, digits, / - _ .)"))
            }
        }
        if let e = t.entry("url"), let url = string(e, in: t) {
            checkServiceURL(url, entry: e, in: t, example: "https://chat.example.org", sendsSecret: apiToken != nil)
            s.url = url
        }
        if apiToken != nil, t.entry("url") == nil {
            problems.append(ConfigurationProblem(line: t.line, key: t.path(of: "url"),
                "an API token is given but no url to use it at; add url: https://chat.example.org (the Mattermost server's address)"))
        }
        if let e = t.entry("answer_within"), let d = duration(e, in: t) {
            if d < .seconds(1) || d > .seconds(25) {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "answer_within"),
                    "Mattermost waits for a webhook's answer OutgoingIntegrationRequestsTimeout (30 s by default); write 1s to 25s, below that timeout (the default is 8s)"))
            } else {
                s.answerWithin = d
            }
        }
        if let e = t.entry("max_characters"), let n = integer(e, in: t, range: 1000...16_383) { s.maxCharacters = n }
        guard name != nil, token != nil else { return nil }
        return s
    }
}
