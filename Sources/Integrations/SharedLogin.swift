/// The credential a session's login gives (Homer's JWT, Matrix's access
/// token), shared by every request of the session: the first request logs
/// in and concurrent ones wait for that same login; a request answered
/// 401 asks for a new one, which it gets only if no other request has
/// already replaced the credential it used. So a burst of requests meeting
/// an expired token costs one login, not one each.
actor SharedLogin<Credential: Sendable & Equatable> {
    private var credential: Credential?
    private var loggingIn: Task<Credential, any Error>?

    init() {}

    /// The credential held, or a first login.
    func current(logIn: @escaping @Sendable () async throws -> Credential) async throws -> Credential {
        if let credential { return credential }
        return try await renew(replacing: nil, logIn: logIn)
    }

    /// A new credential, unless another request already replaced `stale`.
    func renew(replacing stale: Credential?, logIn: @escaping @Sendable () async throws -> Credential) async throws -> Credential {
        if let credential, credential != stale { return credential }
        let task: Task<Credential, any Error>
        if let loggingIn {
            task = loggingIn
        } else {
            task = Task { try await logIn() }
            loggingIn = task
        }
        // Only the login this request waited for is done; a newer one may be under way.
        defer { if loggingIn == task { loggingIn = nil } }
        let fresh = try await task.value
        credential = fresh
        return fresh
    }
}
