import AgentConfig
import HTTPClient
import Integrations

/// The `mattermost` back-ends: their secrets resolved here and registered
/// for the log scrubber.
extension ConfiguredBackends {
    mutating func addMattermost(_ config: AgentConfiguration, environment: [String: String], client: any HTTPSending) {
        for hook in config.mattermostHooks {
            do {
                let token = ResolvedSecret(try hook.token.resolve(environment: environment).text)
                secrets.append(token)
                var apiToken: ResolvedSecret?
                if let secret = hook.apiToken {
                    let resolved = ResolvedSecret(try secret.resolve(environment: environment).text)
                    secrets.append(resolved)
                    apiToken = resolved
                }
                let settings = MattermostBackend.Settings(
                    name: hook.name, path: hook.path, webhookToken: token, serverURL: apiToken == nil ? nil : hook.url,
                    apiToken: apiToken, answerWithin: hook.answerWithin, maxCharacters: hook.maxCharacters)
                backends.append(try MattermostBackend(settings: settings, client: client))
            } catch {
                problems.append("mattermost \(hook.name) is not watched: \(error)")
            }
        }
    }
}
