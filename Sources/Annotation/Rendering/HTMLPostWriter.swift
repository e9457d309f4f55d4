/// The HTML body (Matrix `formatted_body`, RT's text/html comment): only
/// tags both allow (`h3 p b code ul ol li pre hr`), the ladder in `<pre>`
/// so its columns hold, and every piece of text escaped (`& < > " '`), so
/// that a `<sip:…>` from a trace is shown, never parsed.
struct HTMLPostWriter: PostWriter {
    func write(_ document: PostDocument) -> String {
        var out: [String] = []
        for block in document.blocks {
            switch block {
            case .heading(let spans): out.append("<h3>" + text(spans) + "</h3>")
            case .paragraph(let spans): out.append("<p>" + text(spans) + "</p>")
            case .list(let ordered, let items):
                let tag = ordered ? "ol" : "ul"
                out.append("<\(tag)>" + items.map { "<li>" + text($0) + "</li>" }.joined() + "</\(tag)>")
            case .preformatted(let lines):
                out.append("<pre>" + Self.escaped(lines.joined(separator: "\n"), keepNewlines: true) + "</pre>")
            case .rule: out.append("<hr>")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    func text(_ spans: [PostDocument.Span]) -> String {
        spans.map { span in
            switch span {
            case .text(let s): Self.escaped(s)
            case .strong(let s): "<b>" + Self.escaped(s) + "</b>"
            case .code(let s): "<code>" + Self.escaped(s) + "</code>"
            }
        }.joined()
    }

    static func escaped(_ s: String, keepNewlines: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if c.isNewline && !keepNewlines { out.append(" ") } else { out.append(c) }
            }
        }
        return out
    }
}
