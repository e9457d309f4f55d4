import AgentConfig
import HTTPClient

/// SEAM (issue 10, the jira piece owns it): the `jira` back-ends.
extension ConfiguredBackends {
    mutating func addJira(_ config: AgentConfiguration, environment: [String: String], client: any HTTPSending) {
        for settings in config.jiraSites {
            problems.append("jira \(settings.name) is not watched: this agent does not speak Jira yet")
        }
    }
}
