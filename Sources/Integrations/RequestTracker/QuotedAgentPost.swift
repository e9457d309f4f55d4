import Annotation

/// What is left of someone's text once an agent post they quoted is taken
/// out. A reply by mail quotes what it answers, marker and all (RT mails a
/// correspondence to the requestor); dropping the whole text would lose a
/// new Call-ID written above the quote, and keeping it would let the agent
/// read its own ladder (the B leg's Call-IDs) as a request. So the quoted
/// part goes: `>` lines in plain text, `<blockquote>` elements in HTML.
/// If a marker is still there, the text is taken for the agent's own and
/// dropped (nil).
enum QuotedAgentPost {
    static func remainder(of body: String, markup: TextMarkup) -> String? {
        guard AnnotationMarker.isAgentPost(body) else { return body }
        let rest = markup == .html ? withoutBlockquotes(body) : withoutQuotedLines(body)
        let trimmed = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !AnnotationMarker.isAgentPost(trimmed) else { return nil }
        return trimmed
    }

    static func withoutQuotedLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.drop { $0 == " " || $0 == "\t" }.hasPrefix(">") }
            .joined(separator: "\n")
    }

    /// Every `<blockquote …>…</blockquote>`, nested ones counted; an
    /// unclosed one runs to the end. Linear: one pass over the bytes.
    static func withoutBlockquotes(_ html: String) -> String {
        let bytes = Array(html.utf8)
        let open = Array("<blockquote".utf8)
        let close = Array("</blockquote".utf8)
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var depth = 0
        var i = 0
        func matches(_ word: [UInt8], at index: Int) -> Bool {
            guard index + word.count <= bytes.count else { return false }
            for k in 0..<word.count where bytes[index + k] | 0x20 != word[k] | 0x20 { return false }
            // `<blockquotex` is another tag.
            let after = index + word.count
            return after == bytes.count || [UInt8(ascii: ">"), 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "/")].contains(bytes[after])
        }
        func skipTag(from index: Int) -> Int {
            var j = index
            while j < bytes.count, bytes[j] != UInt8(ascii: ">") { j += 1 }
            return min(j + 1, bytes.count)
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<") {
                if matches(open, at: i) {
                    depth += 1
                    i = skipTag(from: i)
                    continue
                }
                if depth > 0, matches(close, at: i) {
                    depth -= 1
                    i = skipTag(from: i)
                    continue
                }
            }
            if depth == 0 { kept.append(bytes[i]) }
            i += 1
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
