/// SEAM (issue 10, the jira piece owns it): A Jira Service Management site: JQL search in, internal comments out.
public struct JiraSettings: Sendable, Equatable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}
