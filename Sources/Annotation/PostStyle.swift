/// How a back-end wants the agent's post written: its markup and how long
/// a post may be before the back-end refuses or truncates it.
public struct PostStyle: Sendable, Equatable {
    /// The markup of `RenderedPost.formatted`; `.plain` means no
    /// formatted body at all.
    public var markup: TextMarkup
    /// The most characters the back-end takes in one post (the formatted
    /// body, or the plain one with `.plain`); beyond it the ladder is
    /// trimmed, with a note that says so.
    public var maxCharacters: Int

    public init(markup: TextMarkup, maxCharacters: Int) {
        self.markup = markup
        self.maxCharacters = maxCharacters
    }
}

/// A post ready to leave: already redacted, within the back-end's limit,
/// carrying its marker.
public struct RenderedPost: Sendable, Equatable {
    /// Always present: the plain text (Matrix `body`, the inbox's text).
    public var plain: String
    /// In `markup` (Matrix `formatted_body`, RT's text/html comment); nil
    /// for plain-only back-ends.
    public var formatted: String?
    public var markup: TextMarkup
    /// The marker the post carries, as `AnnotationMarker.text` writes it.
    public var marker: String

    public init(plain: String, formatted: String?, markup: TextMarkup, marker: String) {
        self.plain = plain
        self.formatted = formatted
        self.markup = markup
        self.marker = marker
    }
}
