import Annotation
import Foundation

extension MattermostBackend {
    /// One outgoing webhook request: its token checked in constant time
    /// (401 without it), its payload read (form or JSON), the agent's own
    /// posts and posts without a Call-ID answered at once with nothing
    /// (an empty body: Mattermost posts no reply), the rest delivered as
    /// a thread whose answer is awaited (`answer(_:after:recording:)`).
    public func receive(_ request: InboundRequest) async -> InboundVerdict {
        let payload: MattermostWebhookPayload
        do throws(MattermostWebhookPayload.Unreadable) {
            payload = try MattermostWebhookPayload.read(request.body, contentType: request.header("Content-Type")).0
        } catch {
            // Unreadable before the token could be looked at: refused
            // like a wrong token, so a stranger learns nothing more.
            return .refused(.text("not a Mattermost outgoing webhook request\n", status: 400), reason: error.description)
        }
        guard !payload.token.isEmpty else {
            return .refused(.text("unauthorized\n", status: 401), reason: "no token in the payload; the request is not from this Mattermost outgoing webhook")
        }
        guard MattermostToken.matches(payload.token, expected: settings.webhookToken.value) else {
            return .refused(.text("unauthorized\n", status: 401),
                            reason: "wrong token; if the webhook's token was regenerated in Mattermost, put the new one where token_env or token_file points")
        }
        if AnnotationMarker.isAgentPost(payload.text) { return .answered(.ok) }
        // Nothing to wait for without a Call-ID (and no need to ask who
        // the agent is).
        guard !extractor.candidates(in: payload.text, markup: .markdown).isEmpty else { return .answered(.ok) }
        // The agent's own REST posts trigger hooks (`CreatePostAsUser`
        // sets TriggerWebhooks); the marker check above drops them, and
        // so does their author, for a post that lost its marker. Without an
        // API token there is no own user, and webhook replies never
        // trigger hooks.
        if let me = try? await identity.userID(), payload.userID == me { return .answered(.ok) }
        let thread = ConversationThread(
            id: MattermostThreadID(channelID: payload.channelID, postID: payload.postID).text,
            title: payload.channelName.isEmpty ? nil : "~" + payload.channelName,
            texts: [ConversationText(id: payload.postID, author: payload.userName.isEmpty ? payload.userID : payload.userName,
                                     body: payload.text, markup: .markdown, at: payload.at)],
            seenAt: request.receivedAt)
        await rendezvous.expect(thread.id, until: request.receivedAt.addingTimeInterval(Self.seconds(settings.answerWithin)))
        return .delivered(InboundDelivery(id: payload.postID, threads: [thread]), answer: .ok)
    }

    /// Once the delivery is recorded: waits (at most `answerWithin` from
    /// its arrival) for the worker's post and answers with it as a thread
    /// reply. A repeat or an unrecorded delivery is answered at once.
    /// When time runs out the answer is empty (no reply now) if the REST
    /// API will carry the reply, else a short "looking" reply, the only
    /// one this post gets.
    public func answer(_ answer: InboundAnswer, after delivery: InboundDelivery, recording: InboundRecording) async -> InboundAnswer {
        guard let thread = delivery.threads.first else { return answer }
        guard recording == .new else {
            await rendezvous.cancel(thread.id)
            return answer
        }
        if let text = await rendezvous.wait(for: thread.id) {
            return Self.reply(text)
        }
        if rest != nil { return answer }
        let ids = delivery.threads.flatMap { t in t.texts.flatMap { extractor.candidates(in: $0.body, markup: $0.markup).map(\.callID) } }
        return Self.reply("Looking up \(ids.prefix(3).map { "`\($0)`" }.joined(separator: ", ")): the diagnosis was not ready within \(settings.answerWithin.components.seconds) s, and this agent has no Mattermost API token to post it later.")
    }

    /// The listener wrote the answer (or could not): a reply handed to it
    /// counts as posted only then (`send`).
    public func answerSent(after delivery: InboundDelivery, written: Bool) async {
        guard let thread = delivery.threads.first else { return }
        await rendezvous.answerWritten(thread.id, written)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The webhook's answer: a thread reply to the triggering post.
    static func reply(_ text: String) -> InboundAnswer {
        let object: [String: Any] = ["text": text, "response_type": "comment"]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return InboundAnswer(status: 200, contentType: "application/json", body: Array(data))
    }
}
