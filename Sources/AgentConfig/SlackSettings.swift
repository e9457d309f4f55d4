/// SEAM (issue 10, the slack piece owns it): A Slack workspace's app: Events API and the /sip slash command in, chat.postMessage out.
public struct SlackSettings: Sendable, Equatable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}
