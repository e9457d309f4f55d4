import AgentConfig
import HTTPClient

/// SEAM (issue 10, the mattermost piece owns it): the `mattermost` back-ends.
extension ConfiguredBackends {
    mutating func addMattermost(_ config: AgentConfiguration, environment: [String: String], client: any HTTPSending) {
        for settings in config.mattermostHooks {
            problems.append("mattermost \(settings.name) is not watched: this agent does not speak Mattermost yet")
        }
    }
}
