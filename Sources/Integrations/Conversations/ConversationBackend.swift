import Annotation
import Foundation

/// Something a person wrote where the agent listens: a ticket's reply or
/// comment (an RT transaction), a chat message (a Matrix event), a file of
/// the local inbox. Only other people's texts reach the agent: a back-end
/// drops its own posts (by author, and by `AnnotationMarker`).
public struct ConversationText: Sendable, Hashable, Codable {
    /// The back-end's id of this text (transaction id, event id).
    public var id: String
    public var author: String
    /// As written, in `markup` (HTML tags and all); decoding transport
    /// encodings (RT's base64) is the back-end's job.
    public var body: String
    public var markup: TextMarkup
    public var at: Date?

    public init(id: String, author: String, body: String, markup: TextMarkup, at: Date? = nil) {
        self.id = id
        self.author = author
        self.body = body
        self.markup = markup
        self.at = at
    }
}

/// Where the agent answers: a ticket, or a chat message and its thread.
public struct ConversationThread: Sendable, Hashable {
    /// Stable across polls and restarts: the ledger's key and the marker's
    /// input ("123" for RT ticket 123; "!room:server $root" for Matrix).
    public var id: String
    /// For logs and the inbox's output name: the ticket's subject.
    public var title: String?
    /// The texts others wrote in it, oldest first: on a ticket all of
    /// them each time it changed (the agent works out which Call-IDs are
    /// new), in chat the new messages.
    public var texts: [ConversationText]
    /// When the agent first saw it, for the seen-to-posted latency.
    public var seenAt: Date
    /// Where to answer when that is not the thread itself, kept with the
    /// work in the store: a Slack slash command's `response_url`. Nil for
    /// every back-end that answers in the thread.
    public var replyTo: String?

    public init(id: String, title: String? = nil, texts: [ConversationText], seenAt: Date = Date(), replyTo: String? = nil) {
        self.id = id
        self.title = title
        self.texts = texts
        self.seenAt = seenAt
        self.replyTo = replyTo
    }
}

/// One poll's answer: the threads with something new, and the cursor to
/// keep (in the store) once they are recorded, so that a restart resumes
/// after them and loses nothing.
public struct ConversationPoll: Sendable {
    public var threads: [ConversationThread]
    /// Opaque to the agent (RT: a LastUpdated watermark; Matrix: the sync
    /// token); nil keeps the previous one.
    public var cursor: String?

    public init(threads: [ConversationThread], cursor: String?) {
        self.threads = threads
        self.cursor = cursor
    }
}

/// Is this a ticket queue or a chat: both are polled, both are answered in
/// place; the metrics and logs count tickets and messages apart.
public enum ConversationKind: String, Sendable {
    case tickets
    case chat
}

/// A ticket queue or a chat the agent watches and answers in: Request
/// Tracker, Matrix, the local inbox (and, later, Slack, Zendesk…). Small on
/// purpose: the agent does the rest (extraction, the ledger, diagnosis,
/// rendering).
///
/// Exactly-once rests on two calls here: `findPost(marker:)` looks for a
/// post the agent may have made before a crash, and `post` carries an
/// idempotency key that back-ends with one (Matrix's txnId) pass on.
public protocol ConversationBackend: Sendable {
    /// The configured name ("rt-noc"): the ledger's and the metrics' label.
    var name: String { get }
    var kind: ConversationKind { get }
    var postStyle: PostStyle { get }
    /// How long to wait between polls; a long-polling back-end (Matrix
    /// /sync) returns 0 and waits inside `poll`.
    var pollInterval: Duration { get }

    /// What changed after `cursor` (nil: the first poll ever, from the
    /// back-end's configured look-back).
    func poll(after cursor: String?) async throws -> ConversationPoll

    /// The id of the agent's earlier post in `thread` that carries
    /// `marker`, if there is one.
    func findPost(marker: String, in thread: ConversationThread) async throws -> String?

    /// Posts and returns the back-end's id of the post (a transaction id,
    /// an event id, a file name).
    func post(_ post: RenderedPost, in thread: ConversationThread, idempotencyKey: String) async throws -> String
}
