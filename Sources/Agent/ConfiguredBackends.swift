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

    public init(_ config: AgentConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
                inboxProblem: @escaping @Sendable (InboxError) -> Void = { _ in }) {
        for inbox in config.inboxes {
            let settings = InboxBackend.Settings(
                name: inbox.name, inDirectory: inbox.inDirectory, outDirectory: inbox.outDirectory,
                pollInterval: inbox.pollInterval,
                postStyle: PostStyle(markup: TextMarkup(inbox.markup), maxCharacters: inbox.maxCharacters))
            backends.append(InboxBackend(settings: settings, problem: inboxProblem))
        }
        for rt in config.requestTrackers {
            problems.append("rt \(rt.name) is not watched: this build has no Request Tracker client yet")
        }
        for matrix in config.matrixServers {
            problems.append("matrix \(matrix.name) is not watched: this build has no Matrix client yet")
        }
    }
}

extension TextMarkup {
    init(_ markup: PostMarkup) {
        switch markup {
        case .plain: self = .plain
        case .markdown: self = .markdown
        case .html: self = .html
        }
    }
}

extension RedactionRules {
    public init(_ settings: RedactionSettings) {
        self.init(phoneNumbers: settings.phoneNumbers, emailAddresses: settings.emailAddresses,
                  ipAddresses: settings.ipAddresses, patterns: settings.patterns)
    }
}
