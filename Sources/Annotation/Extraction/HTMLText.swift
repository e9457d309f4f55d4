/// An HTML mail or chat body to lines, in one pass and without building a
/// tree, so that deep or broken markup costs no more than its length:
/// tags are dropped (block tags end a line, `<br>` too), entities decoded,
/// `<pre>` becomes a code block and `<code>` inline code, a link's `href`
/// is read as text beside the link (a Homer link often shows only
/// "Homer"), `<script>`, `<style>` and a Matrix reply's `<mx-reply>` quote
/// are skipped, and signature and
/// quote containers (`gmail_signature`, `<blockquote>`, Outlook's reply
/// header) leave a structural line behind.
///
/// A tag that never closes swallows the rest of the text, as a browser
/// would; so does an unclosed comment.
enum HTMLText {
    static func lines(_ html: [UInt8]) -> [TextLine] {
        var builder = Builder()
        let n = html.count
        var i = 0
        while i < n {
            let b = html[i]
            if b == UInt8(ascii: "<") {
                i = tag(html, at: i, &builder)
            } else if b == UInt8(ascii: "&") {
                let (decoded, next) = HTMLEntity.decode(html, at: i)
                builder.append(decoded)
                i = next
            } else if b == 0x0A || b == 0x0D || b == 0x09 {
                if builder.inPre {
                    if b == 0x0A { builder.newline() } else if b == 0x09 { builder.append([0x20]) }
                } else {
                    builder.append([0x20])
                }
                i += 1
            } else {
                builder.append(CollectionOfOne(b))
                i += 1
            }
        }
        return builder.finish()
    }

    struct Builder {
        var lines: [TextLine] = []
        var current: [UInt8] = []
        var inPre = false

        mutating func append<C: Collection<UInt8>>(_ bytes: C) { current.append(contentsOf: bytes) }

        mutating func newline() {
            lines.append(TextLine(current, inCodeBlock: inPre))
            current.removeAll(keepingCapacity: true)
        }

        mutating func mark(_ kind: TextLine.Kind) {
            if !current.isEmpty { newline() }
            lines.append(TextLine([], kind: kind))
        }

        mutating func finish() -> [TextLine] {
            if !current.isEmpty { newline() }
            return lines
        }
    }

    static let blockTags: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "section", "article", "header", "footer", "dl", "dt", "dd", "address", "center", "body", "html",
    ]

    /// Handles the tag (or comment, or literal `<`) at `start`; returns where scanning resumes.
    static func tag(_ html: [UInt8], at start: Int, _ out: inout Builder) -> Int {
        let n = html.count
        guard start + 1 < n else { out.append(CollectionOfOne(html[start])); return n }
        let next = html[start + 1]
        if next == UInt8(ascii: "!"), start + 3 < n, html[start + 2] == UInt8(ascii: "-"), html[start + 3] == UInt8(ascii: "-") {
            return find(Array("-->".utf8), in: html, from: start + 4).map { $0 + 3 } ?? n
        }
        guard ByteClass.isLetter(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?") else {
            out.append(CollectionOfOne(html[start]))
            return start + 1
        }
        // The end of the tag: the first '>' outside a quoted attribute value.
        var j = start + 1
        var quote: UInt8 = 0
        while j < n {
            let c = html[j]
            if quote != 0 { if c == quote { quote = 0 } }
            else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { quote = c }
            else if c == UInt8(ascii: ">") { break }
            j += 1
        }
        guard j < n else { return n }
        let body = html[(start + 1)..<j]
        var k = body.startIndex
        let closing = body[k] == UInt8(ascii: "/")
        if closing { k += 1 }
        let nameStart = k
        while k < body.endIndex && (ByteClass.isAlnum(body[k]) || body[k] == UInt8(ascii: "-")) { k += 1 }
        let name = String(decoding: ByteClass.lowered(body[nameStart..<k]), as: UTF8.self)
        let attributes = closing ? [:] : attributesOf(body[k...])
        let end = j + 1

        if !closing && (name == "script" || name == "style" || name == "mx-reply") {
            // Raw text up to the closing tag is not text anyone wrote; a
            // Matrix reply's quote of the message it answers is not this
            // writer's text either (clients strip it, see AgentQuotes).
            guard let close = findLowercased(Array("</\(name)".utf8), in: html, from: end) else { return n }
            return tag(html, at: close, &out)
        }
        if !closing {
            let hint = attributes.isEmpty ? "" : ((attributes["class"] ?? "") + " " + (attributes["id"] ?? "")).lowercased()
            if hint.contains("signature") {
                out.mark(.signatureStart)
            } else if name == "blockquote" || hint.contains("quote") || hint.contains("divrplyfwdmsg") || hint.contains("moz-cite-prefix") {
                out.mark(.quoteStart)
            }
        }
        switch name {
        case "pre":
            if !out.current.isEmpty || !closing { out.newline() }
            out.inPre = !closing
            if closing { out.newline() }
        case "code" where !out.inPre:
            out.append(CollectionOfOne(UInt8(ascii: "`")))
        case "a" where !closing:
            if let href = attributes["href"], !href.isEmpty {
                out.append(CollectionOfOne(0x20))
                out.append(Array(href.utf8))
                out.append(CollectionOfOne(0x20))
            }
        case "td", "th":
            out.append(CollectionOfOne(0x20))
        case "blockquote":
            out.newline()
        default:
            if blockTags.contains(name) { out.newline() }
        }
        return end
    }

    /// `name=value` pairs of a tag, values entity-decoded; names lowercased.
    static func attributesOf(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        var out: [String: String] = [:]
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            while i < end && (ByteClass.isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/")) { i += 1 }
            let nameStart = i
            while i < end && !ByteClass.isSpace(bytes[i]) && bytes[i] != UInt8(ascii: "=") && bytes[i] != UInt8(ascii: "/") { i += 1 }
            guard i > nameStart else { if i < end { i += 1 }; continue }
            let name = String(decoding: ByteClass.lowered(bytes[nameStart..<i]), as: UTF8.self)
            while i < end && ByteClass.isSpace(bytes[i]) { i += 1 }
            guard i < end, bytes[i] == UInt8(ascii: "=") else { out[name] = ""; continue }
            i += 1
            while i < end && ByteClass.isSpace(bytes[i]) { i += 1 }
            var value: ArraySlice<UInt8>
            if i < end && (bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'")) {
                let q = bytes[i]
                let vStart = i + 1
                i = vStart
                while i < end && bytes[i] != q { i += 1 }
                value = bytes[vStart..<i]
                if i < end { i += 1 }
            } else {
                let vStart = i
                while i < end && !ByteClass.isSpace(bytes[i]) { i += 1 }
                value = bytes[vStart..<i]
            }
            if out[name] == nil { out[name] = String(decoding: HTMLEntity.decodeAll(value), as: UTF8.self) }
        }
        return out
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == needle[0] {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func findLowercased(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if ByteClass.lower(hay[i]) == needle[0] {
                var k = 1
                while k < needle.count && ByteClass.lower(hay[i + k]) == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
