/// The agent's own Zendesk user id, asked once (`/api/v2/users/me.json`)
/// and kept: comments by it are the agent's and never read as someone's
/// text.
actor ZendeskAgentUser {
    private(set) var id: Int64?

    func remember(_ id: Int64) { self.id = id }
}
