/// The small mark every post carries so that the agent can find its own
/// post again (after a crash between posting and recording) and never
/// answer itself. Deterministic: the same back-end, thread, Call-ID set
/// and engine version give the same marker. SEAM: owned by the annotation
/// piece.
public struct AnnotationMarker: Sendable, Hashable {
    /// Short hex id, also the idempotency key (Matrix txnId).
    public var id: String

    public init(backend: String, thread: String, callIDs: [String], engineVersion: Int) {
        id = "\(backend)|\(thread)|\(callIDs.sorted().joined(separator: ","))|\(engineVersion)"
    }

    /// As written into a post.
    public var text: String { "sipdiag:\(id)" }

    /// The markers found in a text (a ticket's comment, a chat message).
    public static func markers(in text: String) -> [String] { [] }

    /// True when the text carries any agent marker (one of its own posts).
    public static func isAgentPost(_ text: String) -> Bool { !markers(in: text).isEmpty }
}
