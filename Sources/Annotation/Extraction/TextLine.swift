/// One line of someone's text, as the extractor reads it: bytes (Call-IDs
/// are ASCII, so anything else only separates tokens), whether it sits in
/// a code block, and the two structural hints HTML mail carries in its
/// tags rather than its text (a signature block, a quoted earlier message).
struct TextLine: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case text
        /// `<div class="gmail_signature">` and the like: what follows is a signature.
        case signatureStart
        /// `<blockquote>`, `gmail_quote`, Outlook's reply header: an earlier message follows.
        case quoteStart
    }

    var bytes: [UInt8]
    var inCodeBlock: Bool
    var kind: Kind

    init(_ bytes: [UInt8], inCodeBlock: Bool = false, kind: Kind = .text) {
        self.bytes = bytes
        self.inCodeBlock = inCodeBlock
        self.kind = kind
    }
}

/// Plain and Markdown text to lines. Fenced code blocks (```` ``` ```` or
/// `~~~`, also inside a `>` quote) are flagged in both markups, because
/// people type them in plain chat and e-mail too; Markdown backslash
/// escapes (`abc\_def`) are undone outside code so the token is the one
/// the writer meant.
enum PlainText {
    static func lines(_ text: [UInt8], markdown: Bool) -> [TextLine] {
        var out: [TextLine] = []
        var inFence = false
        var start = 0
        let n = text.count
        while start <= n {
            var end = start
            while end < n && text[end] != UInt8(ascii: "\n") { end += 1 }
            var line = Array(text[start..<end])
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let fence = fenceToggle(line) {
                if fence { inFence.toggle(); out.append(TextLine([], inCodeBlock: true)) }
                else { out.append(TextLine(line, inCodeBlock: inFence)) }
            } else {
                out.append(TextLine(markdown && !inFence ? unescaped(line) : line, inCodeBlock: inFence))
            }
            start = end + 1
        }
        return out
    }

    /// nil when the line is not a fence; true when it opens or closes a
    /// block; false for a one-line ```` ```text``` ```` span, which is
    /// inline code rather than a block.
    static func fenceToggle(_ line: [UInt8]) -> Bool? {
        var i = 0
        while i < line.count && (line[i] == 0x20 || line[i] == 0x09 || line[i] == UInt8(ascii: ">")) { i += 1 }
        guard i + 2 < line.count else { return nil }
        let c = line[i]
        guard c == UInt8(ascii: "`") || c == UInt8(ascii: "~"), line[i + 1] == c, line[i + 2] == c else { return nil }
        // Another run of three later on the line closes it there: inline.
        var k = i + 3, run = 0
        while k < line.count {
            run = line[k] == c ? run + 1 : 0
            if run == 3 { return false }
            k += 1
        }
        return true
    }

    static func unescaped(_ line: [UInt8]) -> [UInt8] {
        guard line.contains(UInt8(ascii: "\\")) else { return line }
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var i = 0, inCode = false
        while i < line.count {
            let b = line[i]
            if b == UInt8(ascii: "`") { inCode.toggle() }
            if b == UInt8(ascii: "\\"), !inCode, i + 1 < line.count, ByteClass.isASCIIPunctuation(line[i + 1]) {
                out.append(line[i + 1])
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
        return out
    }
}
