import Annotation
import Foundation

extension MattermostBackend {
    /// The prefix of the posted id of a reply carried by the webhook's
    /// answer: Mattermost creates that post after the answer and never
    /// tells its id; `findPost` finds it by its marker.
    static let webhookPostedPrefix = "webhook-answer:"

    public func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String {
        try await send(post, in: thread)
    }

    /// `post` with its error typed: handed to the webhook request still
    /// waiting for it if there is one (and the triggering post is a
    /// thread's root: a webhook comment on a reply is refused by the
    /// server, threads being flat), else `POST /api/v4/posts` in the
    /// triggering post's thread.
    public func send(_ post: RenderedPost, in thread: ConversationThread) async throws(MattermostError) -> String {
        guard let target = MattermostThreadID(thread.id) else { throw .badThreadID(thread.id) }
        let message = post.formatted ?? post.plain
        guard let rest else {
            if await rendezvous.handOver(thread.id, text: message) { return try await written(target, thread) }
            throw .noWayToPost(postID: target.postID)
        }
        var triggering: MattermostREST.Post?
        if await rendezvous.isExpected(thread.id) {
            triggering = try? await rest.post(target.postID)
            if triggering?.rootID.isEmpty ?? true, await rendezvous.handOver(thread.id, text: message) {
                return try await written(target, thread)
            }
        }
        let root: String
        if let triggering {
            root = triggering.rootID.isEmpty ? triggering.id : triggering.rootID
        } else {
            let fetched = try await rest.post(target.postID)
            root = fetched.rootID.isEmpty ? fetched.id : fetched.rootID
        }
        return try await rest.create(channelID: target.channelID, rootID: root, message: message).id
    }

    /// How long the worker waits to hear that the webhook's answer went
    /// out: the listener writes it as soon as it is handed over.
    static let answerWriteWait: Double = 10

    /// The reply handed to the webhook's answer counts as posted only once
    /// the listener wrote that answer out. Otherwise (the request dropped,
    /// the agent stopping) it may not exist: the attempt fails, and the
    /// next one looks for it (`findPost`) and posts through the REST API.
    private func written(_ target: MattermostThreadID, _ thread: ConversationThread) async throws(MattermostError) -> String {
        guard await rendezvous.wasWritten(thread.id, within: Self.answerWriteWait) else {
            throw .webhookAnswerNotWritten(postID: target.postID)
        }
        return Self.webhookPostedPrefix + target.postID
    }

    public func findPost(marker: String, in thread: ConversationThread) async throws -> String? {
        try await find(marker: marker, in: thread)
    }

    /// `findPost` with its error typed: the thread's posts by the agent's
    /// user, or made from a webhook answer (`props.from_webhook`: those
    /// are the hook creator's), whose message carries `marker`. Without
    /// an API token nothing can be read: nil (see docs/mattermost.md). A
    /// thread the server no longer has (404) holds no post.
    public func find(marker: String, in thread: ConversationThread) async throws(MattermostError) -> String? {
        guard let target = MattermostThreadID(thread.id) else { throw .badThreadID(thread.id) }
        guard !marker.isEmpty, let rest else { return nil }
        let me = try await identity.userID()
        var from: MattermostREST.Post?
        for _ in 0..<MattermostREST.threadPages {
            let page: MattermostREST.ThreadPage
            do throws(MattermostError) {
                page = try await rest.thread(target.postID, after: from)
            } catch {
                if case .notFound = error { return nil }
                throw error
            }
            for p in page.posts where (p.userID == me || p.fromWebhook) && Self.carries(p.message, marker: marker) {
                return p.id
            }
            // The newest post of the page is where the next one starts
            // (whatever the order the server lists them in).
            let newest = page.posts.filter { !$0.rootID.isEmpty }.max { ($0.createAt, $0.id) < ($1.createAt, $1.id) }
            guard page.hasNext, let newest, newest.id != from?.id else { return nil }
            from = newest
        }
        return nil
    }

    static func carries(_ text: String, marker: String) -> Bool {
        AnnotationMarker.text(text, carries: marker)
    }
}
