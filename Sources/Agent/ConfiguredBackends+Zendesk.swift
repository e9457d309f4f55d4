import AgentConfig
import HTTPClient
import Integrations

/// The `zendesk` back-ends: each account's API token resolved here and
/// registered for the log scrubber.
extension ConfiguredBackends {
    mutating func addZendesk(_ config: AgentConfiguration, environment: [String: String], client: any HTTPSending) {
        for zendesk in config.zendeskInstances {
            do {
                let token = ResolvedSecret(try zendesk.token.resolve(environment: environment).text)
                secrets.append(token)
                let settings = ZendeskBackend.Settings(
                    baseURL: zendesk.baseURL, email: zendesk.email, token: token, pollInterval: zendesk.pollInterval,
                    firstPollLookBack: zendesk.lookBack, postMarkup: zendesk.markup, maxPostCharacters: zendesk.maxCharacters,
                    exportLimit: ZendeskBackend.RequestBudget(count: zendesk.exportRequestsPerMinute, window: .seconds(60)),
                    name: zendesk.name)
                backends.append(try ZendeskBackend(settings: settings, client: client))
            } catch {
                problems.append("zendesk \(zendesk.name) is not watched: \(error)")
            }
        }
    }
}
