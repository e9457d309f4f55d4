/// The plain body: what a plain-text back-end shows and what Matrix puts
/// in `body`. No markup at all; lists are indented, the ladder is kept
/// line for line, blocks are separated by a blank line.
struct PlainPostWriter: PostWriter {
    func write(_ document: PostDocument) -> String {
        var out: [String] = []
        for block in document.blocks {
            switch block {
            case .heading(let spans): out.append(text(spans))
            case .paragraph(let spans): out.append(text(spans))
            case .list(let ordered, let items):
                out.append(items.enumerated().map { k, item in (ordered ? "  \(k + 1). " : "  - ") + text(item) }.joined(separator: "\n"))
            case .preformatted(let lines): out.append(lines.joined(separator: "\n"))
            case .rule: out.append(String(repeating: "-", count: 40))
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    func text(_ spans: [PostDocument.Span]) -> String {
        spans.map { span in
            switch span {
            case .text(let s), .strong(let s), .code(let s): Self.oneLine(s)
            }
        }.joined()
    }

    /// Prose from a trace may hold line breaks; in a list item or a
    /// heading they would break the layout.
    static func oneLine(_ s: String) -> String {
        guard s.contains(where: \.isNewline) else { return s }
        return String(s.map { $0.isNewline ? " " : $0 })
    }
}
