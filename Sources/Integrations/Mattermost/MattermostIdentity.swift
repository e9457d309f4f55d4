/// The agent's own Mattermost user id, asked once (`/users/me`) and kept;
/// a failed ask is asked again next time.
actor MattermostIdentity {
    private let rest: MattermostREST?
    private var known: String?

    init(rest: MattermostREST?) {
        self.rest = rest
    }

    /// Nil without an API token (nothing to ask with).
    func userID() async throws(MattermostError) -> String? {
        if let known { return known }
        guard let rest else { return nil }
        let id = try await rest.me()
        known = id
        return id
    }
}
