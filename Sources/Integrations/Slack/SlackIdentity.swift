/// Who the app is in the workspace (`auth.test` once: the bot user's id
/// and the bot's id), to drop the events of its own messages the way
/// Bolt's IgnoringSelfEvents does. Asked lazily and kept; a failure is not
/// kept, so the next event asks again.
actor SlackIdentity {
    struct Me: Sendable, Equatable {
        var userID: String
        var botID: String?

        func wrote(_ event: [String: Any]) -> Bool {
            if let user = event["user"] as? String, user == userID { return true }
            if let botID, let bot = event["bot_id"] as? String, bot == botID { return true }
            return false
        }
    }

    private var me: Me?

    func get(_ api: SlackWebAPI) async throws -> Me {
        if let me { return me }
        let answer = try await api.call("auth.test", json: [:])
        guard let user = answer["user_id"] as? String, !user.isEmpty else {
            throw SlackError.unexpectedAnswer(method: "auth.test", detail: "an answer without user_id")
        }
        let found = Me(userID: user, botID: answer["bot_id"] as? String)
        me = found
        return found
    }

    /// The identity if `auth.test` answers within `patience`, else nil (a
    /// pushed request must be answered within Slack's 3 s).
    func get(_ api: SlackWebAPI, patience: Duration) async -> Me? {
        if let me { return me }
        return await withTaskGroup(of: Me?.self) { group in
            group.addTask { try? await self.get(api) }
            group.addTask {
                try? await Task.sleep(for: patience)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
