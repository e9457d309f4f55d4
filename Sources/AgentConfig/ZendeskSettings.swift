/// SEAM (issue 10, the zendesk piece owns it): A Zendesk Support instance: incremental export in, private comments out.
public struct ZendeskSettings: Sendable, Equatable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}
