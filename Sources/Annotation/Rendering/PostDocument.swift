/// A post before it is written in a back-end's markup: the same content
/// gives the plain, Markdown and HTML bodies, so they cannot disagree, and
/// each writer escapes on its own terms.
struct PostDocument: Sendable, Equatable {
    enum Span: Sendable, Equatable {
        case text(String)
        case strong(String)
        case code(String)
    }

    enum Block: Sendable, Equatable {
        case heading([Span])
        case paragraph([Span])
        case list(ordered: Bool, items: [[Span]])
        /// Monospace lines (the ladder), kept exactly.
        case preformatted([String])
        case rule
    }

    var blocks: [Block] = []
}

/// Writes a `PostDocument` in one markup.
protocol PostWriter: Sendable {
    func write(_ document: PostDocument) -> String
}

extension TextMarkup {
    var writer: any PostWriter {
        switch self {
        case .plain: PlainPostWriter()
        case .markdown: MarkdownPostWriter()
        case .html: HTMLPostWriter()
        }
    }
}
