import AgentConfig
import HTTPClient
import Integrations

/// The `slack` back-ends: each app's bot token and signing secret resolved
/// and registered with the log scrubber.
extension ConfiguredBackends {
    mutating func addSlack(_ config: AgentConfiguration, environment: [String: String], client: any HTTPSending) {
        for slack in config.slackWorkspaces {
            do {
                let token = ResolvedSecret(try slack.botToken.resolve(environment: environment).text)
                secrets.append(token)
                let signing = ResolvedSecret(try slack.signingSecret.resolve(environment: environment).text)
                secrets.append(signing)
                let settings = SlackBackend.Settings(
                    name: slack.name, apiURL: slack.apiURL, botToken: token, signingSecret: signing,
                    respondTo: slack.respondTo == .everyMessage ? .everyMessage : .mentions,
                    commandResponse: slack.commandResponse == .ephemeral ? .ephemeral : .inChannel,
                    eventsPath: slack.resolvedEventsPath, commandsPath: slack.resolvedCommandsPath,
                    maxCharacters: slack.maxCharacters)
                backends.append(try SlackBackend(settings: settings, client: client))
            } catch {
                problems.append("slack \(slack.name) is not watched: \(error)")
            }
        }
    }
}
