/// How the agent writes its log lines: one JSON object per line for a log
/// collector (Loki, journald's JSON export, Elastic), or text for a person
/// reading a terminal. `agentctl run --log-format json|text`.
public enum LogFormat: String, Sendable, CaseIterable, Codable {
    case json
    case text
}
