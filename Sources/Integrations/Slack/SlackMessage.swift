import Foundation
import Annotation

/// A rendered post as Slack takes it: `text` (the plain body, Slack's
/// notification and fallback) and `blocks`: the renderer's Markdown turned
/// into mrkdwn sections, its rules into dividers, the ladder in code
/// blocks. Within Slack's limits: a section's text at most 3,000
/// characters, at most 50 blocks, `text` at most 40,000 characters (Slack
/// truncates beyond). Counted here in UTF-8 bytes, never fewer than
/// characters. A code block longer than a section is split into several,
/// each fenced; when the blocks would still be too many, the message goes
/// as text alone (the marker is in it either way).
struct SlackMessage: Sendable, Equatable {
    var text: String
    /// Each block a JSON object; nil: text only.
    var blocks: [Block]?

    enum Block: Sendable, Equatable {
        case section(String)
        case divider

        var json: [String: Any] {
            switch self {
            case .section(let text): return ["type": "section", "text": ["type": "mrkdwn", "text": text]]
            case .divider: return ["type": "divider"]
            }
        }
    }

    static let maxSectionBytes = 3_000
    static let maxBlocks = 50
    static let maxTextBytes = 40_000

    init(_ post: RenderedPost) {
        text = Self.fallback(post.plain, marker: post.marker)
        guard let formatted = post.formatted, post.markup == .markdown else {
            blocks = nil
            return
        }
        let built = Self.blocks(formatted)
        blocks = built.isEmpty || built.count > Self.maxBlocks ? nil : built
    }

    var json: [String: Any] {
        var object: [String: Any] = ["text": text]
        if let blocks { object["blocks"] = blocks.map(\.json) }
        return object
    }

    /// The plain text escaped; cut (keeping the marker) if over 40,000.
    static func fallback(_ plain: String, marker: String) -> String {
        let text = SlackText.escaped(plain)
        guard text.utf8.count > maxTextBytes else { return text }
        let tail = "\n…\n" + SlackText.escaped(marker)
        return cut(text, toBytes: maxTextBytes - tail.utf8.count) + tail
    }

    /// The longest prefix of whole characters within `bytes` UTF-8 bytes.
    static func cut(_ text: String, toBytes bytes: Int) -> String {
        var out = "", count = 0
        for c in text {
            let n = c.utf8.count
            if count + n > bytes { break }
            out.append(c)
            count += n
        }
        return out
    }

    // MARK: Markdown to blocks

    /// One piece of the Markdown: a paragraph (or heading, or list), a
    /// fenced block's lines, or a rule.
    enum Chunk: Equatable {
        case text(String)
        case code([String])
        case rule
    }

    static func chunks(_ markdown: String) -> [Chunk] {
        var chunks: [Chunk] = []
        var paragraph: [String] = []
        var code: [String]?
        var fence = ""
        func flush() {
            if !paragraph.isEmpty { chunks.append(.text(paragraph.joined(separator: "\n"))) }
            paragraph = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if var lines = code {
                if line.trimmingTrailingSpaces == fence {
                    chunks.append(.code(lines))
                    code = nil
                } else {
                    lines.append(line)
                    code = lines
                }
                continue
            }
            if line.hasPrefix("```") {
                flush()
                fence = String(line.prefix { $0 == "`" })
                code = []
            } else if line.trimmingTrailingSpaces == "---" {
                flush()
                chunks.append(.rule)
            } else if line.trimmingTrailingSpaces.isEmpty {
                flush()
            } else {
                paragraph.append(line)
            }
        }
        if let code { chunks.append(.code(code)) } // an unclosed fence
        flush()
        return chunks
    }

    static func blocks(_ markdown: String) -> [Block] {
        var blocks: [Block] = []
        var section = ""
        func add(_ piece: String) {
            if section.isEmpty {
                section = piece
            } else if section.utf8.count + 2 + piece.utf8.count <= maxSectionBytes {
                section += "\n\n" + piece
            } else {
                blocks.append(.section(section))
                section = piece
            }
        }
        func flush() {
            if !section.isEmpty { blocks.append(.section(section)) }
            section = ""
        }
        for chunk in chunks(markdown) {
            switch chunk {
            case .rule:
                flush()
                blocks.append(.divider)
            case .text(let text):
                for piece in pieces(mrkdwn(text), limit: maxSectionBytes) { add(piece) }
            case .code(let lines):
                for piece in codePieces(lines) { add(piece) }
            }
        }
        flush()
        return blocks
    }

    /// A fenced block as Slack code blocks of at most a section each,
    /// split between lines (a line longer than a section is cut).
    static func codePieces(_ lines: [String]) -> [String] {
        let open = "```\n", close = "\n```"
        let room = maxSectionBytes - open.utf8.count - close.utf8.count
        var pieces: [String] = []
        var current: [String] = []
        var size = 0
        for line in lines {
            var escaped = SlackText.escaped(line.replacingBackticks)
            if escaped.utf8.count > room { escaped = cut(escaped, toBytes: room) }
            let n = escaped.utf8.count + (current.isEmpty ? 0 : 1)
            if size + n > room, !current.isEmpty {
                pieces.append(open + current.joined(separator: "\n") + close)
                current = []
                size = 0
            }
            size += escaped.utf8.count + (current.isEmpty ? 0 : 1)
            current.append(escaped)
        }
        if !current.isEmpty || pieces.isEmpty { pieces.append(open + current.joined(separator: "\n") + close) }
        return pieces
    }

    /// Text over `limit` split between lines, else cut.
    static func pieces(_ text: String, limit: Int) -> [String] {
        guard text.utf8.count > limit else { return [text] }
        var pieces: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(line)
            if line.utf8.count > limit { line = cut(line, toBytes: limit) }
            if current.isEmpty {
                current = line
            } else if current.utf8.count + 1 + line.utf8.count <= limit {
                current += "\n" + line
            } else {
                pieces.append(current)
                current = line
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// The renderer's Markdown paragraph in Slack's mrkdwn: `### X` and
    /// `**X**` bold as `*X*`, list dashes as bullets, Markdown's backslash
    /// escapes undone (mrkdwn has none) and `&`, `<`, `>` escaped as
    /// Slack asks; inline code kept, with one backtick.
    static func mrkdwn(_ paragraph: String) -> String {
        paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { raw -> String in
            var line = Substring(raw)
            var prefix = "", suffix = ""
            if line.hasPrefix("### ") {
                line = line.dropFirst(4)
                prefix = "*"
                suffix = "*"
            } else if line.hasPrefix("- ") {
                line = line.dropFirst(2)
                prefix = "• "
            }
            return prefix + inline(line) + suffix
        }.joined(separator: "\n")
    }

    static func inline(_ line: Substring) -> String {
        var out = ""
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "\\", line.index(after: i) < line.endIndex {
                let next = line[line.index(after: i)]
                out += SlackText.escaped(String(next))
                i = line.index(i, offsetBy: 2)
            } else if c == "`" {
                let ticks = line[i...].prefix { $0 == "`" }
                let start = line.index(i, offsetBy: ticks.count)
                if let end = line[start...].range(of: String(ticks)) {
                    var code = String(line[start..<end.lowerBound])
                    if ticks.count > 1 { code = code.trimmingCharacters(in: .whitespaces) }
                    out += "`" + SlackText.escaped(code.replacingBackticks) + "`"
                    i = end.upperBound
                } else {
                    out += String(ticks)
                    i = start
                }
            } else if c == "*", line[i...].hasPrefix("**") {
                out += "*"
                i = line.index(i, offsetBy: 2)
            } else if c == "&" {
                // The Markdown writer already wrote & as &amp;: kept.
                out.append(c)
                i = line.index(after: i)
            } else {
                out += SlackText.escaped(String(c))
                i = line.index(after: i)
            }
        }
        return out
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }

    /// A backtick would end Slack's code span or block early: shown as
    /// the look-alike `ˋ` (U+02CB) instead.
    var replacingBackticks: String {
        contains("`") ? replacingOccurrences(of: "`", with: "\u{02CB}") : self
    }
}
