/// Call-IDs carried by links: a Homer search link (`?callid=…`, or the
/// JSON `query={"callid":["…"]}` homer-ui writes), a portal's call page
/// (`/calls/<Call-ID>`), any link with a `callid` / `call_id` / `call-id`
/// parameter. The link is percent-decoded first (`%40` is the `@` of most
/// Call-IDs in a URL). What a link names as a Call-ID counts as marked.
///
/// Nothing else in a link is read: a UUID in a ticket's own URL is not a
/// Call-ID.
enum LinkCallIDs {
    /// Where the link starting at `start` ends: at white space, a quote, a
    /// bracket that cannot be in it, or a non-ASCII byte; trailing
    /// punctuation (`.`, `,`, `)`) belongs to the sentence.
    static func end(of line: [UInt8], from start: Int) -> Int {
        var j = start
        while j < line.count {
            let b = line[j]
            // `|` ends Slack's `<url|label>`; it is never unencoded in a URL.
            if b <= 0x20 || b >= 0x7F || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "`")
                || b == UInt8(ascii: "|") { break }
            j += 1
        }
        while j > start, let last = Optional(line[j - 1]),
              last == UInt8(ascii: ".") || last == UInt8(ascii: ",") || last == UInt8(ascii: ")") || last == UInt8(ascii: ";")
              || last == UInt8(ascii: ":") || last == UInt8(ascii: "!") || last == UInt8(ascii: "?") || last == UInt8(ascii: "'")
              || last == UInt8(ascii: "*") || last == UInt8(ascii: "]") {
            j -= 1
        }
        return j
    }

    /// True when `line[i...]` starts `http://` or `https://`.
    static func startsLink(_ line: [UInt8], at i: Int) -> Bool {
        guard i + 7 <= line.count, ByteClass.lower(line[i]) == UInt8(ascii: "h") else { return false }
        if i > 0 && ByteClass.isAlnum(line[i - 1]) { return false }
        let rest = line[i...]
        return ByteClass.hasLowercasedPrefix(rest, "http://") || ByteClass.hasLowercasedPrefix(rest, "https://")
    }

    static let markerNames = ["callid", "call_id", "call-id", "callids", "call_ids", "call-ids"]
    static let pathNames: Set<String> = ["call", "calls", "callid", "call-id", "call_id", "callflow", "call-flow", "sipcall", "sip-call"]

    static func callIDs(in link: ArraySlice<UInt8>) -> [[UInt8]] {
        let url = percentDecoded(link)
        var out: [[UInt8]] = []
        // Parameters and JSON keys: callid=X, "callid":"X", "callid":["X","Y"].
        var i = 0
        while i < url.count {
            guard ByteClass.lower(url[i]) == UInt8(ascii: "c"), i == 0 || !ByteClass.isAlnum(url[i - 1]),
                  let name = markerNames.first(where: { ByteClass.hasLowercasedPrefix(url[i...], $0) }) else { i += 1; continue }
            var j = i + name.utf8.count
            guard j < url.count, !ByteClass.isAlnum(url[j]), url[j] != UInt8(ascii: "-"), url[j] != UInt8(ascii: "_") else { i += 1; continue }
            var values = 0
            while j < url.count && values < 16 {
                while j < url.count && ":=\"'[ ,".utf8.contains(url[j]) { j += 1 }
                let start = j
                while j < url.count && ByteClass.isTokenByte(url[j]) && url[j] != UInt8(ascii: "/") && url[j] != UInt8(ascii: "?") { j += 1 }
                guard j > start else { break }
                let value = Array(url[start..<j])
                guard CallIDShape.isIdentifierLike(value) else { break }
                out.append(value)
                values += 1
                // A JSON array goes on after a comma; anything else ends the value.
                guard j < url.count, url[j] == UInt8(ascii: "\"") else { break }
                var k = j + 1
                while k < url.count && url[k] == 0x20 { k += 1 }
                guard k < url.count, url[k] == UInt8(ascii: ",") else { break }
                j = k
            }
            i = max(j, i + 1)
        }
        // Path segments: /calls/<Call-ID>.
        var pathEnd = url.count
        if let scheme = HTMLText.find(Array("://".utf8), in: url, from: 0) {
            for k in (scheme + 3)..<url.count where url[k] == UInt8(ascii: "?") || url[k] == UInt8(ascii: "#") { pathEnd = k; break }
            let segments = url[(scheme + 3)..<pathEnd].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
            for (k, segment) in segments.enumerated().dropLast() where segment.count <= 12 {
                guard pathNames.contains(String(decoding: ByteClass.lowered(segment), as: UTF8.self)) else { continue }
                let value = Array(segments[k + 1])
                if CallIDShape.isIdentifierLike(value) { out.append(value) }
            }
        }
        return out
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.endIndex, ByteClass.isHex(bytes[i + 1]), ByteClass.isHex(bytes[i + 2]) {
                out.append(hexValue(bytes[i + 1]) << 4 | hexValue(bytes[i + 2]))
                i += 3
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    static func hexValue(_ b: UInt8) -> UInt8 {
        ByteClass.isDigit(b) ? b - 0x30 : ByteClass.lower(b) - 0x61 + 10
    }
}
