/// One line read for Call-IDs: its `>` quote prefix taken off, links
/// read and blanked, then its tokens read for markers (`Call-ID:`,
/// `callid=`, "Call ID is"), the values after them, and bare candidates.
struct LineScan {
    struct Token {
        /// The token without the punctuation around it.
        var start: Int
        var end: Int
        /// Up to the next token: what separates it (`, ` or ` and `).
        var rawEnd: Int
        /// Wrapped in quotes or backticks with nothing else inside.
        var enclosed: Bool
        var inInlineCode: Bool
    }

    var bytes: [UInt8]
    var inCodeBlock: Bool
    var quoteDepth = 0

    init(line: TextLine) {
        var i = 0, depth = 0
        let b = line.bytes
        while i < b.count {
            if b[i] == UInt8(ascii: ">") { depth += 1; i += 1 }
            else if (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
            else { break }
        }
        bytes = depth > 0 ? Array(b[i...]) : b
        quoteDepth = depth
        inCodeBlock = line.inCodeBlock
    }

    static let fillers: Set<String> = [
        "is", "was", "were", "are", "of", "the", "this", "that", "for", "on", "in", "from", "our", "your", "their", "side",
        "number", "no", "nr", "value", "reads", "should", "be", "here", "header", "ist", "lautet", "war", "der", "die", "#",
    ]

    mutating func scan(context: inout LineContext, pending: inout Bool, into found: inout Found) {
        let state = context.enter(bytes[...], quoteDepth: quoteDepth)
        if state.skip { pending = false; return }

        // Links first: what they carry is marked, the rest of them is not text.
        var i = 0
        while i < bytes.count {
            if LinkCallIDs.startsLink(bytes, at: i) {
                let end = LinkCallIDs.end(of: bytes, from: i)
                for id in LinkCallIDs.callIDs(in: bytes[i..<end]) { found.add(id, marked: true) }
                for k in i..<end { bytes[k] = 0x20 }
                i = max(end, i + 1)
            } else {
                i += 1
            }
        }

        let tokens = tokenize()
        var consumed = [Bool](repeating: false, count: tokens.count)
        if pending, let first = tokens.first {
            pending = false
            let value = Array(bytes[first.start..<first.end])
            if CallIDShape.isIdentifierLike(value) { found.add(value, marked: true); consumed[0] = true }
        }

        var k = 0
        while k < tokens.count {
            guard let marker = markerEnd(tokens, at: k) else { k += 1; continue }
            var v = marker.next
            if let inline = marker.inlineValue {
                // "Call-ID:abc@host" written as one token.
                let value = Array(bytes[inline..<tokens[k].end])
                if CallIDShape.isIdentifierLike(value) { found.add(value, marked: true) }
                consumed[k] = true
                k += 1
                continue
            }
            var fillers = 0
            while v < tokens.count, fillers < 4, Self.fillers.contains(lowered(tokens[v])) { v += 1; fillers += 1 }
            if v >= tokens.count {
                pending = marker.endsWithColon || fillers == 0
                k = v
                continue
            }
            var taken = 0
            while v < tokens.count, taken < 32 {
                let value = Array(bytes[tokens[v].start..<tokens[v].end])
                guard CallIDShape.isIdentifierLike(value) else { break }
                found.add(value, marked: true)
                consumed[v] = true
                taken += 1
                // A list goes on after a comma, a slash, "and", "or", "&".
                let gap = bytes[tokens[v].end..<tokens[v].rawEnd]
                var next = v + 1
                if next < tokens.count, ["and", "or", "und", "oder"].contains(lowered(tokens[next])) { next += 1 }
                else if !gap.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: ";") }) && !isPlural(tokens, k) { break }
                v = next
            }
            k = max(v, k + 1)
        }

        guard !context.inSignature else { return }
        for (t, token) in tokens.enumerated() where !consumed[t] {
            let value = Array(bytes[token.start..<token.end])
            guard value.count <= CallIDShape.maxLength, !CallIDShape.hasURIScheme(value) else { continue }
            if let at = value.firstIndex(of: UInt8(ascii: "@")) {
                guard !state.contact, CallIDShape.isBareCallID(local: value[..<at]) else { continue }
                found.add(value, marked: false)
            } else if CallIDShape.isUUID(value) || CallIDShape.isLongHex(value) {
                found.add(value, marked: false)
            } else if (token.enclosed || token.inInlineCode || (inCodeBlock && tokens.count == 1)) && CallIDShape.looksGenerated(value) {
                found.add(value, marked: false)
            }
        }
    }

    struct Marker {
        var next: Int
        var endsWithColon: Bool
        var inlineValue: Int?
    }

    static let markerWords: Set<String> = ["call-id", "call_id", "callid", "call-ids", "call_ids", "callids", "call-id's", "x-call-id"]

    /// The marker at token `k`, if any: `Call-ID`, `call_id`, `callid`,
    /// `Call ID(s)`, and `i:` first on a line (SIP's compact form).
    func markerEnd(_ tokens: [Token], at k: Int) -> Marker? {
        let t = tokens[k]
        guard t.end - t.start <= 24 || hasInlineMarker(t) != nil else { return nil }
        let word = lowered(t)
        if Self.markerWords.contains(word) {
            return Marker(next: k + 1, endsWithColon: gapHasColon(t), inlineValue: nil)
        }
        if word == "call", k + 1 < tokens.count, ["id", "ids"].contains(lowered(tokens[k + 1])),
           bytes[t.end..<tokens[k + 1].start].allSatisfy({ $0 == 0x20 }) {
            return Marker(next: k + 2, endsWithColon: gapHasColon(tokens[k + 1]), inlineValue: nil)
        }
        if k == 0, word == "i", gapHasColon(t) {
            return Marker(next: 1, endsWithColon: true, inlineValue: nil)
        }
        if let inline = hasInlineMarker(t) {
            return Marker(next: k + 1, endsWithColon: true, inlineValue: inline)
        }
        return nil
    }

    /// `Call-ID:abc@host` or `i:abc@host` (first on the line) as one
    /// token: where the value starts.
    func hasInlineMarker(_ t: Token) -> Int? {
        guard let colon = bytes[t.start..<t.end].firstIndex(of: UInt8(ascii: ":")), colon + 1 < t.end else { return nil }
        let name = String(decoding: ByteClass.lowered(bytes[t.start..<colon]), as: UTF8.self)
        if Self.markerWords.contains(name) || (name == "i" && t.start == firstTokenStart) { return colon + 1 }
        return nil
    }

    var firstTokenStart: Int {
        var i = 0
        while i < bytes.count && !ByteClass.isTokenByte(bytes[i]) { i += 1 }
        return i
    }

    func isPlural(_ tokens: [Token], _ k: Int) -> Bool {
        let w = lowered(tokens[k])
        return w.hasSuffix("ids") || (k + 1 < tokens.count && lowered(tokens[k + 1]) == "ids")
    }

    func gapHasColon(_ t: Token) -> Bool {
        bytes[t.end..<t.rawEnd].contains { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "=") }
    }

    func lowered(_ t: Token) -> String {
        guard t.end - t.start <= 24 else { return "" }
        return String(decoding: ByteClass.lowered(bytes[t.start..<t.end]), as: UTF8.self)
    }

    /// Maximal runs of token bytes, with the punctuation of the sentence
    /// around them taken off (`(abc@host).` gives `abc@host`).
    func tokenize() -> [Token] {
        var out: [Token] = []
        var i = 0
        var backticks = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "`") { backticks += 1 }
            guard ByteClass.isTokenByte(b) else { i += 1; continue }
            let runStart = i
            while i < n && ByteClass.isTokenByte(bytes[i]) { i += 1 }
            var s = runStart, e = i
            while s < e && ".:!?*_~".utf8.contains(bytes[s]) { s += 1 }
            while e > s && ".:!?*_~".utf8.contains(bytes[e - 1]) { e -= 1 }
            guard e > s else { continue }
            let before: UInt8? = runStart > 0 ? bytes[runStart - 1] : nil
            let after: UInt8? = i < n ? bytes[i] : nil
            let enclosed = before != nil && before == after
                && (before == UInt8(ascii: "\"") || before == UInt8(ascii: "'") || before == UInt8(ascii: "`"))
            out.append(Token(start: s, end: e, rawEnd: n, enclosed: enclosed, inInlineCode: backticks % 2 == 1))
        }
        for k in out.indices.dropLast() { out[k].rawEnd = out[k + 1].start }
        return out
    }
}
