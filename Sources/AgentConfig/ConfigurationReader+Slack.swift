import Yams

/// The `slack` section: one entry per workspace app.
extension ConfigurationReader {
    static let slackKeys = ["name", "bot_token_env", "bot_token_file", "signing_secret_env", "signing_secret_file",
                            "api_url", "respond_to", "command_response", "events_path", "commands_path", "max_characters"]

    mutating func slack(_ node: Node, path: String) -> SlackSettings? {
        guard let t = table(node, path: path, what: "slack") else { return nil }
        checkKeys(t, allowed: Self.slackKeys)
        let name = required("name", in: t, example: "name: slack-noc").flatMap { backendName($0, in: t) }
        let token = secret("bot_token", in: t, required: true)
        let signing = secret("signing_secret", in: t, required: true)
        var s = SlackSettings(name: name ?? "", botToken: token ?? .environment("_"), signingSecret: signing ?? .environment("_"))
        if let e = t.entry("api_url"), let url = string(e, in: t) {
            checkServiceURL(url, entry: e, in: t, example: SlackSettings.defaultAPIURL, sendsSecret: token != nil)
            s.apiURL = url
        }
        if let e = t.entry("respond_to"), let r = choice(e, in: t, SlackSettings.RespondTo.self) { s.respondTo = r }
        if let e = t.entry("command_response"), let r = choice(e, in: t, SlackSettings.CommandResponse.self) { s.commandResponse = r }
        for key in ["events_path", "commands_path"] {
            guard let e = t.entry(key), let p = string(e, in: t) else { continue }
            guard p.hasPrefix("/"), p.count > 1, !p.contains("?"), !p.contains("#"), !p.contains(" "),
                  !["/healthz", "/metrics"].contains(p) else {
                problems.append(ConfigurationProblem(line: e.line, key: t.path(of: key),
                    "\"\(p)\" is not a listener path of its own; write a path starting with /, without query or spaces, like /slack/\(name ?? "NAME")/\(key == "events_path" ? "events" : "commands")"))
                continue
            }
            if key == "events_path" { s.eventsPath = p } else { s.commandsPath = p }
        }
        if s.resolvedEventsPath == s.resolvedCommandsPath, let e = t.entry("commands_path") ?? t.entry("events_path") {
            problems.append(ConfigurationProblem(line: e.line, key: t.path(of: e.key),
                "events_path and commands_path are the same path; give the slash command a path of its own"))
        }
        if let e = t.entry("max_characters"), let n = integer(e, in: t, range: 1000...30_000) { s.maxCharacters = n }
        guard name != nil, token != nil, signing != nil else { return nil }
        return s
    }
}
