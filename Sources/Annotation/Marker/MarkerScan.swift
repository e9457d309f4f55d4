/// Finds `sipdiag:<id>` in text as a back-end may have changed it: HTML
/// tags inside it (`sipdiag:<wbr>3f…`, `<span>`), entities (`&#58;`),
/// Markdown's `\:` escape, soft hyphens, zero-width and no-break spaces
/// inserted to let long words wrap, white space after the colon,
/// upper-case hex. One pass; the bytes
/// between the prefix and the id are bounded, so no input is slow.
enum MarkerScan {
    static func ids(in text: [UInt8]) -> [String] {
        let prefix = Array(AnnotationMarker.prefix.utf8)
        var out: [String] = []
        var i = 0
        let n = text.count
        while i + prefix.count <= n {
            guard ByteClass.lower(text[i]) == prefix[0], (i == 0 || !ByteClass.isAlnum(text[i - 1])),
                  (1..<prefix.count).allSatisfy({ ByteClass.lower(text[i + $0]) == prefix[$0] }) else { i += 1; continue }
            var j = i + prefix.count
            var sawColon = false
            var digits: [UInt8] = []
            var budget = 64
            while j < n, budget > 0, digits.count < AnnotationMarker.idLength {
                budget -= 1
                if let skip = ignorable(text, j) { j += skip; continue }
                let b = text[j]
                // A plain-text wrap may put a space or line break after the colon.
                if sawColon && digits.isEmpty {
                    if ByteClass.isSpace(b) { j += 1; continue }
                    if b == 0xC2, j + 1 < n, text[j + 1] == 0xA0 { j += 2; continue }
                }
                if !sawColon {
                    if b == UInt8(ascii: ":") { sawColon = true; j += 1; continue }
                    if b == UInt8(ascii: "&"), let (value, length) = entity(text, j), value == UInt8(ascii: ":") { sawColon = true; j += length; continue }
                    break
                }
                if ByteClass.isHex(b) { digits.append(ByteClass.lower(b)); j += 1; continue }
                if b == UInt8(ascii: "&"), let (value, length) = entity(text, j), ByteClass.isHex(value) {
                    digits.append(ByteClass.lower(value)); j += length; continue
                }
                break
            }
            if digits.count == AnnotationMarker.idLength, (j >= n || !ByteClass.isHex(text[j])) {
                let id = String(decoding: digits, as: UTF8.self)
                if !out.contains(id) { out.append(id) }
            }
            i = max(j, i + 1)
        }
        return out
    }

    /// True when the bytes hold `sipdiag` in any case: the cheap test
    /// before a closer look.
    static func mentionsPrefix(_ bytes: [UInt8]) -> Bool {
        let prefix = Array(AnnotationMarker.prefix.utf8)
        guard bytes.count >= prefix.count else { return false }
        var i = 0
        while i + prefix.count <= bytes.count {
            if ByteClass.lower(bytes[i]) == prefix[0], (1..<prefix.count).allSatisfy({ ByteClass.lower(bytes[i + $0]) == prefix[$0] }) { return true }
            i += 1
        }
        return false
    }

    /// Bytes a back-end may put inside a word without meaning anything: a
    /// tag, a Markdown escape, U+00AD, U+200B-U+200D, U+2060, U+FEFF, and
    /// their entities. Returns how many to skip.
    static func ignorable(_ t: [UInt8], _ j: Int) -> Int? {
        let b = t[j]
        if b == UInt8(ascii: "<") {
            var k = j + 1
            while k < t.count && k - j < 40 && t[k] != UInt8(ascii: ">") && t[k] != UInt8(ascii: "<") { k += 1 }
            return k < t.count && t[k] == UInt8(ascii: ">") ? k + 1 - j : nil
        }
        if b == UInt8(ascii: "\\") { return 1 }
        if b == 0xC2, j + 1 < t.count, t[j + 1] == 0xAD { return 2 }
        if b == 0xE2, j + 2 < t.count, t[j + 1] == 0x80, (0x8B...0x8D).contains(t[j + 2]) { return 3 }
        if b == 0xE2, j + 2 < t.count, t[j + 1] == 0x81, t[j + 2] == 0xA0 { return 3 }
        if b == 0xEF, j + 2 < t.count, t[j + 1] == 0xBB, t[j + 2] == 0xBF { return 3 }
        if b == UInt8(ascii: "&") {
            let (decoded, next) = HTMLEntity.decode(t, at: j)
            if next > j + 1 && decoded.isEmpty { return next - j }
        }
        return nil
    }

    /// A single-byte entity (`&#58;`, `&colon;`, `&#x33;`) at `j`.
    static func entity(_ t: [UInt8], _ j: Int) -> (UInt8, Int)? {
        let (decoded, next) = HTMLEntity.decode(t, at: j)
        guard next > j + 1, decoded.count == 1 else { return nil }
        return (decoded[0], next - j)
    }
}
