/// The built-in redaction rules, on UTF-8 bytes, one pass each. Phone
/// numbers and IP addresses are masked in place (same length); e-mail
/// addresses lose their local part. See `Redactor` for why.
enum PersonalData {
    static let x = UInt8(ascii: "x")

    // MARK: Phone numbers

    /// `+` and 7-15 digits (separators ` -().` between groups); or a
    /// national number starting with `0` or `(`, grouped the same way; or
    /// 10-15 digits in one run; or 7-15 digits as the user part of a SIP
    /// or tel URI (`sip:5550123@…`).
    static func maskPhoneNumbers(_ b: inout [UInt8]) {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            let startsNumber = c == UInt8(ascii: "+") || c == UInt8(ascii: "(") || ByteClass.isDigit(c)
            guard startsNumber, i == 0 || !isWordLike(b[i - 1]) else { i += 1; continue }
            // The span: digits and single separators between them.
            var j = i, digits = 0, last = i
            var digitPositions: [Int] = []
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "(") { j += 1 }
            while j < n {
                if ByteClass.isDigit(b[j]) { digits += 1; digitPositions.append(j); last = j; j += 1; continue }
                if isSeparator(b[j]), j + 1 < n, ByteClass.isDigit(b[j + 1]) || (b[j] != UInt8(ascii: "(") && b[j + 1] == UInt8(ascii: "(")) {
                    j += 1; continue
                }
                if b[j] == UInt8(ascii: ")"), digits > 0 { j += 1; continue }
                break
            }
            let end = last + 1
            let grouped = b[i..<end].contains { !ByteClass.isDigit($0) && $0 != UInt8(ascii: "+") }
            let after: UInt8? = end < n ? b[end] : nil
            let followedByWord = after.map { ByteClass.isAlnum($0) || $0 == UInt8(ascii: "_") } ?? false
            let inURI = isURIUser(b, at: i) || after == UInt8(ascii: "@") || after == UInt8(ascii: ";")
            var isPhone = false
            if digits >= 7 && digits <= 15 && !followedByWord && !(after == UInt8(ascii: ".") && end + 1 < n && ByteClass.isDigit(b[end + 1])) {
                if c == UInt8(ascii: "+") { isPhone = true }
                else if c == UInt8(ascii: "(") || (c == UInt8(ascii: "0") && grouped) { isPhone = !looksLikeDate(b[i..<end]) }
                else if !grouped && (digits >= 10 || inURI) { isPhone = true }
                else if c == UInt8(ascii: "0") && !grouped { isPhone = true }
            }
            if isPhone {
                for p in digitPositions.dropLast(3) { b[p] = x }
                i = end
            } else {
                i = max(i + 1, digits > 0 ? (digitPositions.last ?? i) + 1 : i + 1)
            }
        }
    }

    static func isWordLike(_ c: UInt8) -> Bool {
        ByteClass.isAlnum(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
            || c == UInt8(ascii: "=") || c == UInt8(ascii: "#") || c == UInt8(ascii: "/") || c == UInt8(ascii: "%")
    }

    static func isSeparator(_ c: UInt8) -> Bool {
        c == 0x20 || c == UInt8(ascii: "-") || c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: ".")
    }

    static func isURIUser(_ b: [UInt8], at i: Int) -> Bool {
        for scheme in ["sip:", "sips:", "tel:"] where i >= scheme.utf8.count {
            if ByteClass.equalsLowercased(b[(i - scheme.utf8.count)..<i], scheme) { return true }
        }
        return false
    }

    /// `01.12.2026`, `05-11-2026`, `0 12 2026`-like: two short groups and a year.
    static func looksLikeDate(_ s: ArraySlice<UInt8>) -> Bool {
        let groups = s.split(whereSeparator: { !ByteClass.isDigit($0) })
        return groups.count == 3 && groups[0].count <= 2 && groups[1].count <= 2 && groups[2].count == 4
    }

    // MARK: E-mail addresses

    /// `local@domain.tld` with a letter in the local part (so a phone
    /// number's `+4930…@carrier` is left to the phone rule): the local
    /// part becomes `[redacted]`.
    static func maskEmailAddresses(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(UInt8(ascii: "@")) else { return b }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var copied = 0
        var i = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "@") else { i += 1; continue }
            var s = i
            while s > copied && isLocalByte(b[s - 1]) { s -= 1 }
            // A URI scheme is not part of the address: sip:alice@… keeps `sip:`.
            var e = i + 1
            while e < b.count && (ByteClass.isAlnum(b[e]) || b[e] == UInt8(ascii: "-") || b[e] == UInt8(ascii: ".")) { e += 1 }
            var hostEnd = e
            while hostEnd > i + 1 && b[hostEnd - 1] == UInt8(ascii: ".") { hostEnd -= 1 }
            let local = b[s..<i]
            if !local.isEmpty, local.contains(where: ByteClass.isLetter), isDomain(b[(i + 1)..<hostEnd]) {
                out += b[copied..<s]
                out += Array("[redacted]".utf8)
                copied = i
            }
            i = max(e, i + 1)
        }
        out += b[copied...]
        return out
    }

    static func isLocalByte(_ c: UInt8) -> Bool {
        ByteClass.isAlnum(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "%")
            || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
    }

    static func isDomain(_ host: ArraySlice<UInt8>) -> Bool {
        let labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let tld = labels.last else { return false }
        return tld.count >= 2 && tld.allSatisfy(ByteClass.isLetter)
    }

    // MARK: IP addresses

    /// IPv4 dotted quads and IPv6 (with `::` or seven colons): every digit
    /// masked, dots, colons and ports kept.
    static func maskIPAddresses(_ b: inout [UInt8]) {
        var i = 0
        let n = b.count
        while i < n {
            guard ByteClass.isHex(b[i]) || b[i] == UInt8(ascii: ":"), i == 0 || !ByteClass.isAlnum(b[i - 1]) && b[i - 1] != UInt8(ascii: ".") else { i += 1; continue }
            // IPv4
            var j = i, groups = 0, ok = true
            while groups < 4 {
                let s = j
                while j < n && ByteClass.isDigit(b[j]) && j - s < 3 { j += 1 }
                guard j > s, let v = Int(String(decoding: b[s..<j], as: UTF8.self)), v <= 255 else { ok = false; break }
                groups += 1
                if groups < 4 { guard j < n, b[j] == UInt8(ascii: ".") else { ok = false; break }; j += 1 }
            }
            if ok && groups == 4 && (j >= n || !(ByteClass.isAlnum(b[j]) || (b[j] == UInt8(ascii: ".") && j + 1 < n && ByteClass.isDigit(b[j + 1])))) {
                for k in i..<j where ByteClass.isDigit(b[k]) { b[k] = x }
                i = j
                continue
            }
            // IPv6
            var k = i, colons = 0, double = false
            while k < n && (ByteClass.isHex(b[k]) || b[k] == UInt8(ascii: ":")) {
                if b[k] == UInt8(ascii: ":") { colons += 1; if k > i && b[k - 1] == UInt8(ascii: ":") { double = true } }
                k += 1
            }
            if colons >= 2 && (double || colons == 7) && (k >= n || !ByteClass.isAlnum(b[k])) && b[i..<k].contains(where: ByteClass.isHex) {
                for p in i..<k where ByteClass.isHex(b[p]) { b[p] = x }
                i = k
                continue
            }
            i = max(i + 1, k)
        }
    }
}
