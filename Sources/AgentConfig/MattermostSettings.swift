/// SEAM (issue 10, the mattermost piece owns it): A Mattermost outgoing webhook, answered in the thread.
public struct MattermostSettings: Sendable, Equatable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}
