/// The Markdown body (chat, Markdown ticket systems): `###` headings,
/// `**strong**`, inline code, lists, and the ladder in a fenced block.
/// Text from a trace is escaped so that Markdown shows it as written: a
/// `<sip:…>` is not HTML, `*` is not emphasis, `_` in a Call-ID is not
/// italics, and nothing at the start of a line becomes a heading or a list.
struct MarkdownPostWriter: PostWriter {
    func write(_ document: PostDocument) -> String {
        var out: [String] = []
        for block in document.blocks {
            switch block {
            case .heading(let spans): out.append("### " + text(spans))
            case .paragraph(let spans): out.append(Self.guardLineStart(text(spans)))
            case .list(let ordered, let items):
                out.append(items.enumerated().map { k, item in (ordered ? "\(k + 1). " : "- ") + text(item) }.joined(separator: "\n"))
            case .preformatted(let lines):
                let fence = Self.fence(for: lines)
                out.append(([fence] + lines + [fence]).joined(separator: "\n"))
            case .rule: out.append("---")
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    func text(_ spans: [PostDocument.Span]) -> String {
        spans.map { span in
            switch span {
            case .text(let s): Self.escaped(s)
            case .strong(let s): "**" + Self.escaped(s) + "**"
            case .code(let s): Self.code(s)
            }
        }.joined()
    }

    static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~"]

    static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            if c.isNewline { out.append(" ") }
            else if c == "&" { out += "&amp;" }
            else if special.contains(c) { out.append("\\"); out.append(c) }
            else { out.append(c) }
        }
        return out
    }

    /// A paragraph that starts like a list item (`- `, `+ `, `1. `) or a
    /// block quote would become one.
    static func guardLineStart(_ s: String) -> String {
        guard let first = s.first else { return s }
        if first == "-" || first == "+" || first == "=" || first == "#" { return "\\" + s }
        let digits = s.prefix(while: \.isNumber)
        if !digits.isEmpty, s.dropFirst(digits.count).first == "." || s.dropFirst(digits.count).first == ")" {
            return digits + "\\" + s.dropFirst(digits.count)
        }
        return s
    }

    /// Inline code: as many backticks around it as it needs, spaces inside
    /// when it starts or ends with one.
    static func code(_ s: String) -> String {
        let flat = PlainPostWriter.oneLine(s)
        var longest = 0, run = 0
        for c in flat { run = c == "`" ? run + 1 : 0; longest = max(longest, run) }
        let ticks = String(repeating: "`", count: longest + 1)
        let pad = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        return ticks + pad + flat + pad + ticks
    }

    /// A fence longer than any backtick run in the block.
    static func fence(for lines: [String]) -> String {
        var longest = 0
        for line in lines {
            var run = 0
            for c in line { run = c == "`" ? run + 1 : 0; longest = max(longest, run) }
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }
}
