import AgentConfig
import HTTPClient
import Integrations

/// The `jira` back-ends: the API token resolved here, at the last moment.
extension ConfiguredBackends {
    mutating func addJira(_ config: AgentConfiguration, environment: [String: String], client: any HTTPSending) {
        for jira in config.jiraSites {
            do {
                let token = ResolvedSecret(try jira.token.resolve(environment: environment).text)
                secrets.append(token)
                let settings = JiraBackend.Settings(
                    baseURL: jira.baseURL, email: jira.email, apiToken: token, project: jira.project, extraJQL: jira.jql,
                    pollInterval: jira.pollInterval, firstPollLookBack: jira.lookBack, pageSize: jira.pageSize,
                    maxPostCharacters: jira.maxCharacters, postFormat: jira.postFormat == .plain ? .plain : .noformat,
                    name: jira.name)
                backends.append(try JiraBackend(settings: settings, client: client))
            } catch {
                problems.append("jira \(jira.name) is not watched: \(error)")
            }
        }
    }
}
