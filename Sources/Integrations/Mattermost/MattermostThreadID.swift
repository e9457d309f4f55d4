/// The agent's id of a Mattermost thread: the channel and the post that
/// triggered the webhook, "CHANNEL_ID POST_ID". The post may itself be a
/// reply; the REST path finds its root (Mattermost threads are flat).
struct MattermostThreadID: Sendable, Hashable {
    var channelID: String
    var postID: String

    init(channelID: String, postID: String) {
        self.channelID = channelID
        self.postID = postID
    }

    init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isID(parts[0]), Self.isID(parts[1]) else { return nil }
        channelID = String(parts[0])
        postID = String(parts[1])
    }

    var text: String { "\(channelID) \(postID)" }

    /// Mattermost ids are 26 characters of [a-z0-9]; anything of letters
    /// and digits is taken (a test server's shorter ids too), nothing
    /// that could break a URL path.
    static func isID<S: StringProtocol>(_ s: S) -> Bool {
        !s.isEmpty && s.count <= 64 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
