import Agent
import AgentConfig
import Foundation
import Logging

/// The agent's log: one line per event on stderr, as text or JSON, the
/// resolved secrets scrubbed from every line (Agent's `AgentLogging`).
enum RunLogging {
    static func start(format: AgentSettings.LogFormat) -> Logger {
        AgentLogging.bootstrap(format: format == .json ? .json : .text)
        return Logger(label: "agentctl.run")
    }
}
