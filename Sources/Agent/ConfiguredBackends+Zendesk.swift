import AgentConfig
import HTTPClient

/// SEAM (issue 10, the zendesk piece owns it): the `zendesk` back-ends.
extension ConfiguredBackends {
    mutating func addZendesk(_ config: AgentConfiguration, environment: [String: String], client: any HTTPSending) {
        for settings in config.zendeskInstances {
            problems.append("zendesk \(settings.name) is not watched: this agent does not speak Zendesk yet")
        }
    }
}
