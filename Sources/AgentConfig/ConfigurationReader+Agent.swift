import Annotation
import Foundation
import Yams

/// The agent's sections: the back-ends (`inbox`, `rt`, `matrix`, lists of
/// named sections) and the agent's own (`agent`, `listener`, `redaction`).
extension ConfigurationReader {
    static let inboxKeys = ["name", "path", "out", "poll_interval", "markup", "max_characters"]
    static let rtKeys = ["name", "url", "token_env", "token_file", "user", "queue", "query", "poll_interval", "look_back",
                         "post_as", "page_size", "markup", "max_characters", "web_session"]
    static let matrixKeys = ["name", "url", "user", "password_env", "password_file", "device_id", "respond_to",
                             "join_on_invite", "sync_timeout", "max_characters"]
    /// The sections that are lists of named back-ends.
    static let backendSections = ["inbox", "rt", "matrix", "slack", "mattermost", "zendesk", "jira"]
    static let agentKeys = ["concurrency", "lease", "log_format"]
    static let listenerKeys = ["enabled", "address", "port"]
    static let redactionKeys = ["phone_numbers", "email_addresses", "ip_addresses", "patterns"]

    mutating func readAgentSections(_ top: YAMLTable, into configuration: inout AgentConfiguration) {
        configuration.inboxes += list("inbox", in: top, example: "- name: local") { $0.inbox($1, path: $2) }
        configuration.requestTrackers += list("rt", in: top, example: "- name: rt-noc") { $0.requestTracker($1, path: $2) }
        configuration.matrixServers += list("matrix", in: top, example: "- name: matrix-noc") { $0.matrix($1, path: $2) }
        // Issue 10's back-ends, each read in its own file.
        configuration.slackWorkspaces += list("slack", in: top, example: "- name: slack-noc") { $0.slack($1, path: $2) }
        configuration.mattermostHooks += list("mattermost", in: top, example: "- name: mattermost-noc") { $0.mattermost($1, path: $2) }
        configuration.zendeskInstances += list("zendesk", in: top, example: "- name: zendesk-support") { $0.zendesk($1, path: $2) }
        configuration.jiraSites += list("jira", in: top, example: "- name: jsm-support") { $0.jira($1, path: $2) }
        checkUniqueBackendNames(in: top)
        if let e = top.entry("agent"), let t = table(e.value, path: top.path(of: "agent"), what: "agent") {
            checkKeys(t, allowed: Self.agentKeys)
            if let e = t.entry("concurrency"), let n = integer(e, in: t, range: 1...64) { configuration.agent.concurrency = n }
            if let e = t.entry("lease"), let d = duration(e, in: t) {
                if d < .seconds(1) {
                    problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "lease"),
                        "a lease under a second expires while the work is still going on; write at least 1s (the default is 120s)"))
                } else {
                    configuration.agent.lease = d
                }
            }
            if let e = t.entry("log_format"), let f = choice(e, in: t, AgentSettings.LogFormat.self) { configuration.agent.logFormat = f }
        }
        if let e = top.entry("listener"), let t = table(e.value, path: top.path(of: "listener"), what: "listener") {
            checkKeys(t, allowed: Self.listenerKeys)
            if let e = t.entry("enabled"), let b = boolean(e, in: t) { configuration.listener.enabled = b }
            if let e = t.entry("address"), let a = string(e, in: t) { configuration.listener.host = a }
            if let e = t.entry("port"), let n = integer(e, in: t, range: 0...65535) { configuration.listener.port = n }
        }
        if let e = top.entry("redaction"), let t = table(e.value, path: top.path(of: "redaction"), what: "redaction") {
            checkKeys(t, allowed: Self.redactionKeys)
            if let e = t.entry("phone_numbers"), let b = boolean(e, in: t) { configuration.redaction.phoneNumbers = b }
            if let e = t.entry("email_addresses"), let b = boolean(e, in: t) { configuration.redaction.emailAddresses = b }
            if let e = t.entry("ip_addresses"), let b = boolean(e, in: t) { configuration.redaction.ipAddresses = b }
            if let e = t.entry("patterns") {
                for (pattern, line) in strings(e, in: t, example: "patterns: [\"ACME-[0-9]+\"]") {
                    if (try? NSRegularExpression(pattern: pattern)) == nil {
                        problems.append(ConfigurationProblem(line: line, key: t.path(of: "patterns"),
                            "\"\(pattern)\" is not a regular expression (ICU syntax); fix it, or quote it in single quotes so YAML keeps its backslashes"))
                    } else {
                        configuration.redaction.patterns.append(pattern)
                    }
                }
            }
        }
    }

    private mutating func inbox(_ node: Node, path: String) -> InboxSettings? {
        guard let t = table(node, path: path, what: "an inbox") else { return nil }
        checkKeys(t, allowed: Self.inboxKeys)
        let name = required("name", in: t, example: "name: local").flatMap { backendName($0, in: t) }
        let dir = required("path", in: t, example: "path: ../Fixtures/inbox/tickets").flatMap { self.path($0, in: t) }
        let out = required("out", in: t, example: "out: /tmp/agentctl-annotations").flatMap { self.path($0, in: t) }
        if let dir, let e = t.entry("path") { warnUnlessPresent(dir, directory: true, entry: e, in: t) }
        guard let name, let dir, let out else { return nil }
        var s = InboxSettings(name: name, inDirectory: dir, outDirectory: out)
        if dir == out, let e = t.entry("out") {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "out"),
                "is the same folder as path; the annotations go to a folder of their own, write another path"))
        }
        if let e = t.entry("poll_interval"), let d = duration(e, in: t) { s.pollInterval = d }
        if let e = t.entry("markup"), let m = choice(e, in: t, TextMarkup.self) { s.markup = m }
        if let e = t.entry("max_characters"), let n = integer(e, in: t, range: 1000...1_000_000) { s.maxCharacters = n }
        return s
    }

    private mutating func requestTracker(_ node: Node, path: String) -> RequestTrackerSettings? {
        guard let t = table(node, path: path, what: "a Request Tracker") else { return nil }
        checkKeys(t, allowed: Self.rtKeys)
        let name = required("name", in: t, example: "name: rt-noc").flatMap { backendName($0, in: t) }
        let url = required("url", in: t, example: "url: https://rt.example.net/rt").flatMap { string($0, in: t) }
        let user = required("user", in: t, example: "user: sipdiag-agent").flatMap { string($0, in: t) }
        let token = secret("token", in: t, required: true)
        if let url, let e = t.entry("url") { checkServiceURL(url, entry: e, in: t, example: "https://rt.example.net/rt", sendsSecret: token != nil) }
        var s = RequestTrackerSettings(name: name ?? "", baseURL: url ?? "", token: token ?? .environment("_"), agentUser: user ?? "")
        if let e = t.entry("queue") { s.queue = string(e, in: t) }
        if let e = t.entry("query") { s.query = string(e, in: t) }
        if let e = t.entry("poll_interval"), let d = duration(e, in: t) { s.pollInterval = d }
        if let e = t.entry("look_back"), let d = duration(e, in: t) { s.lookBack = d }
        if let e = t.entry("post_as"), let p = choice(e, in: t, RequestTrackerSettings.PostAs.self) { s.postAs = p }
        if let e = t.entry("page_size"), let n = integer(e, in: t, range: 1...100) { s.pageSize = n }
        if let e = t.entry("web_session"), let b = boolean(e, in: t) { s.webSession = b }
        if let e = t.entry("markup"), let m = choice(e, in: t, TextMarkup.self) {
            if m == .markdown {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "markup"),
                    "RT shows a comment as HTML or plain text, not Markdown (its asterisks would show); write html or plain"))
            } else {
                s.markup = m
            }
        }
        if let e = t.entry("max_characters"), let n = integer(e, in: t, range: 1000...1_000_000) { s.maxCharacters = n }
        guard name != nil, url != nil, user != nil, token != nil else { return nil }
        return s
    }

    private mutating func matrix(_ node: Node, path: String) -> MatrixSettings? {
        guard let t = table(node, path: path, what: "a Matrix homeserver") else { return nil }
        checkKeys(t, allowed: Self.matrixKeys)
        let name = required("name", in: t, example: "name: matrix-noc").flatMap { backendName($0, in: t) }
        let url = required("url", in: t, example: "url: https://matrix.example.net").flatMap { string($0, in: t) }
        let user = required("user", in: t, example: "user: sipdiag").flatMap { string($0, in: t) }
        let password = secret("password", in: t, required: true)
        if let url, let e = t.entry("url") { checkServiceURL(url, entry: e, in: t, example: "https://matrix.example.net", sendsSecret: password != nil) }
        // Read on without the required keys, so the others' mistakes are named too.
        var s = MatrixSettings(name: name ?? "", homeserverURL: url ?? "", user: user ?? "", password: password ?? .environment("_"))
        if let e = t.entry("device_id"), let d = string(e, in: t) {
            if d.isEmpty || d.count > 64 || !d.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "device_id"),
                    "\"\(d)\" is not a device id; write letters, digits, _ and - only, like SIPDIAGAGENT"))
            } else {
                s.deviceID = d
            }
        }
        if let e = t.entry("respond_to"), let r = choice(e, in: t, MatrixSettings.RespondTo.self) { s.respondTo = r }
        if let e = t.entry("join_on_invite"), let b = boolean(e, in: t) { s.joinOnInvite = b }
        if let e = t.entry("sync_timeout"), let d = duration(e, in: t) {
            if d >= .seconds(55) {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: "sync_timeout"),
                    "a /sync this long outlasts the HTTP client's 60 s timeout; write 30s (the default) or less than 55s"))
            } else {
                s.syncTimeout = d
            }
        }
        if let e = t.entry("max_characters"), let n = integer(e, in: t, range: 1000...60_000) { s.maxCharacters = n }
        guard name != nil, url != nil, user != nil, password != nil else { return nil }
        return s
    }

    // MARK: Checks

    /// The name is the ledger's key and a file name of the inbox: kept to
    /// letters, digits, `.`, `_` and `-`.
    mutating func backendName(_ e: YAMLTable.Entry, in t: YAMLTable) -> String? {
        guard let name = string(e, in: t) else { return nil }
        guard name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
                "\"\(name)\" is not a back-end name; write letters, digits, ., _ and - only (at most 64), like rt-noc"))
            return nil
        }
        return name
    }

    private mutating func checkUniqueBackendNames(in top: YAMLTable) {
        var seen: [String: Int?] = [:]
        for section in Self.backendSections {
            guard let e = top.entry(section), case .sequence(let items) = e.value else { continue }
            for (i, item) in items.enumerated() {
                guard let t = YAMLTable(item, path: "\(top.path(of: section))[\(i)]"),
                      let n = t.entry("name"), let name = n.value.scalar?.string else { continue }
                if let first = seen[name] {
                    problems.append(ConfigurationProblem(line: n.line, key: t.path(of: "name"),
                        "\"\(name)\" is already the name of the back-end at line \(first.map(String.init) ?? "?"); the ledger tells back-ends apart by name, give each one of its own"))
                } else {
                    seen[name] = n.line
                }
            }
        }
    }

    mutating func checkServiceURL(_ url: String, entry e: YAMLTable.Entry, in t: YAMLTable, example: String, sendsSecret: Bool) {
        let key = t.path(of: e.key)
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = parsed.host, !host.isEmpty else {
            problems.append(ConfigurationProblem(line: e.line, key: key, "\"\(url)\" is not an http or https URL; write it like \(example)"))
            return
        }
        if parsed.query != nil || parsed.fragment != nil {
            problems.append(ConfigurationProblem(line: e.line, key: key, "\"\(url)\" has a query or fragment; write the base URL only, like \(example)"))
        }
        if scheme == "http", sendsSecret, !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
            problems.append(ConfigurationProblem(.warning, line: e.line, key: key,
                "the credential goes to \(host) unencrypted over http; write https:// if the server serves it"))
        }
    }

    // MARK: Values

    mutating func integer(_ e: YAMLTable.Entry, in t: YAMLTable, range: ClosedRange<Int>) -> Int? {
        guard let text = string(e, in: t) else { return nil }
        guard let n = Int(text), range.contains(n) else {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
                "\"\(text)\" is not a whole number from \(range.lowerBound) to \(range.upperBound); write one"))
            return nil
        }
        return n
    }

    mutating func boolean(_ e: YAMLTable.Entry, in t: YAMLTable) -> Bool? {
        guard let text = string(e, in: t) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key), "\"\(text)\" is not true or false; write one of them"))
            return nil
        }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ e: YAMLTable.Entry, in t: YAMLTable, _ type: T.Type) -> T? where T.RawValue == String {
        guard let text = string(e, in: t) else { return nil }
        if let value = T(rawValue: text) { return value }
        let all = T.allCases.map(\.rawValue)
        problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
            "\"\(text)\" is not one of \(all.joined(separator: ", ")); write one of them"))
        return nil
    }
}

