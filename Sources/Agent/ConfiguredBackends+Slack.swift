import AgentConfig
import HTTPClient

/// SEAM (issue 10, the slack piece owns it): the `slack` back-ends.
extension ConfiguredBackends {
    mutating func addSlack(_ config: AgentConfiguration, environment: [String: String], client: any HTTPSending) {
        for settings in config.slackWorkspaces {
            problems.append("slack \(settings.name) is not watched: this agent does not speak Slack yet")
        }
    }
}
