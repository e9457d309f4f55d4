import AgentConfig
import Annotation
import Foundation
import HTTPClient
import Integrations

/// The ticket and chat back-ends a configuration names, ready to poll and
/// post: secrets resolved here, at the last moment, into values that never
/// print. A back-end that cannot be set up (a secret unset) is named in
/// `problems` and the others still run.
public struct ConfiguredBackends: Sendable {
    public var backends: [any ConversationBackend] = []
    public var problems: [String] = []
    /// Every secret resolved, for the log scrubber to blank out wherever
    /// one would appear.
    public var secrets: [ResolvedSecret] = []

    public init(_ config: AgentConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
                client: (any HTTPSending)? = nil,
                inboxProblem: @escaping @Sendable (InboxError) -> Void = { _ in }) {
        for inbox in config.inboxes {
            let settings = InboxBackend.Settings(
                name: inbox.name, inDirectory: inbox.inDirectory, outDirectory: inbox.outDirectory,
                pollInterval: inbox.pollInterval,
                postStyle: PostStyle(markup: inbox.markup, maxCharacters: inbox.maxCharacters))
            backends.append(InboxBackend(settings: settings, problem: inboxProblem))
        }
        let speaksHTTP = !config.requestTrackers.isEmpty || !config.matrixServers.isEmpty || !config.slackWorkspaces.isEmpty
            || !config.mattermostHooks.isEmpty || !config.zendeskInstances.isEmpty || !config.jiraSites.isEmpty
        guard speaksHTTP else { return }
        let client = client ?? CurlHTTPClient(options: HTTPClientOptions(caBundlePath: config.tls.caBundlePath), environment: environment)
        for rt in config.requestTrackers {
            do {
                let token = ResolvedSecret(try rt.token.resolve(environment: environment).text)
                secrets.append(token)
                let settings = RequestTrackerBackend.Settings(
                    baseURL: rt.baseURL, token: token, agentUser: rt.agentUser, queue: rt.queue, extraQuery: rt.query,
                    pollInterval: rt.pollInterval, firstPollLookBack: rt.lookBack,
                    postAs: rt.postAs == .correspond ? .correspond : .comment,
                    postMarkup: rt.markup, maxPostCharacters: rt.maxCharacters, pageSize: rt.pageSize, name: rt.name,
                    reuseWebSession: rt.webSession)
                backends.append(try RequestTrackerBackend(settings: settings, client: client))
            } catch {
                problems.append("rt \(rt.name) is not watched: \(error)")
            }
        }
        for matrix in config.matrixServers {
            do {
                let password = ResolvedSecret(try matrix.password.resolve(environment: environment).text)
                secrets.append(password)
                let settings = MatrixBackend.Settings(
                    homeserverURL: matrix.homeserverURL, user: matrix.user, password: password, deviceID: matrix.deviceID,
                    respondTo: matrix.respondTo == .everyMessage ? .everyMessage : .mentions,
                    joinOnInvite: matrix.joinOnInvite, syncTimeout: matrix.syncTimeout, maxCharacters: matrix.maxCharacters,
                    name: matrix.name)
                backends.append(try MatrixBackend(settings: settings, client: client))
            } catch {
                problems.append("matrix \(matrix.name) is not watched: \(error)")
            }
        }
        addSlack(config, environment: environment, client: client)
        addMattermost(config, environment: environment, client: client)
        addZendesk(config, environment: environment, client: client)
        addJira(config, environment: environment, client: client)
    }
}
