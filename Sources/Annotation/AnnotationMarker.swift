/// The small mark every post carries so that the agent can find its own
/// post again (after a crash between posting and recording) and never
/// answer itself. Deterministic: the same back-end, thread, Call-ID set
/// and engine version give the same marker.
///
/// The id is the first 20 hex digits (80 bits) of SHA-256 over the four
/// inputs, length-prefixed so that no two different inputs write the same
/// bytes; the Call-IDs are sorted by their bytes and de-duplicated (a set).
/// It is `[0-9a-f]`, so it is also a valid Matrix txnId and survives any
/// back-end's escaping. In a post it is written `sipdiag:<id>`;
/// `markers(in:)` finds it again in plain text, in Markdown (a `\:` escape)
/// and in HTML (tags or `<wbr>` inside, entities, soft hyphens and
/// zero-width spaces a back-end inserted). See docs/annotations.md.
public struct AnnotationMarker: Sendable, Hashable {
    /// 20 lowercase hex digits; also the idempotency key (Matrix txnId).
    public var id: String
    /// What the marker was made from, when it was made here rather than
    /// read back from a post: the renderer names them in the
    /// `agentctl replay` hint of a shortened post. Not part of equality.
    public private(set) var backend: String?
    public private(set) var thread: String?

    public static let prefix = "sipdiag"
    public static let idLength = 20

    public init(backend: String, thread: String, callIDs: [String], engineVersion: Int) {
        var input = Array("sipdiag-marker-1\n".utf8)
        func field(_ s: String) {
            let bytes = Array(s.utf8)
            input += Array(String(bytes.count).utf8) + [UInt8(ascii: ":")] + bytes + [0x0A]
        }
        field(backend)
        field(thread)
        let ids = Set(callIDs).map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        field(String(ids.count))
        for id in ids { field(String(decoding: id, as: UTF8.self)) }
        field(String(engineVersion))
        id = String(SHA256.hex(SHA256.digest(input)).prefix(Self.idLength))
        self.backend = backend
        self.thread = thread
    }

    /// Two markers are the same when their ids are.
    public static func == (a: AnnotationMarker, b: AnnotationMarker) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// A marker read back from a post (`markers(in:)`), or nil when `id` is
    /// not one this type writes.
    public init?(id: String) {
        guard id.utf8.count == Self.idLength, id.utf8.allSatisfy(\.isLowercaseHexDigit) else { return nil }
        self.id = id
    }

    /// As written into a post.
    public var text: String { "\(Self.prefix):\(id)" }

    /// True when `text` carries this marker.
    public func appears(in text: String) -> Bool { Self.markers(in: text).contains(id) }

    /// The marker ids found in a text (a ticket's comment, a chat message,
    /// plain, Markdown or HTML), in order, each once.
    public static func markers(in text: String) -> [String] {
        MarkerScan.ids(in: Array(text.utf8))
    }

    /// True when `text` carries `marker`: as written (`sipdiag:<id>`), or
    /// its id found by `markers(in:)` where a back-end's escaping or
    /// wrapping split it (HTML entities, Slack's mrkdwn, ADF). `marker` may
    /// be given as written or as its id. What every back-end's `findPost`
    /// looks for.
    public static func text(_ text: String, carries marker: String) -> Bool {
        if !marker.isEmpty, text.contains(marker) { return true }
        let id = marker.hasPrefix(prefix + ":") ? String(marker.dropFirst(prefix.count + 1)) : marker
        guard AnnotationMarker(id: id) != nil else { return false }
        return markers(in: text).contains(id)
    }

    /// True when the text carries any agent marker (one of its own posts).
    public static func isAgentPost(_ text: String) -> Bool { !markers(in: text).isEmpty }
}

extension UInt8 {
    var isLowercaseHexDigit: Bool { (self >= 0x30 && self <= 0x39) || (self >= 0x61 && self <= 0x66) }
}
