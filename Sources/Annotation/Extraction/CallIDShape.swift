/// What a token must look like to be taken for a Call-ID, and what tells a
/// Call-ID from the e-mail addresses, SIP URIs, dates and words around it.
///
/// RFC 3261 §25.1: `callid = word [ "@" word ]`. Beyond the grammar the
/// rules are judgement, written down in docs/annotations.md: a Call-ID is
/// machine-made, so it nearly always holds digits or an `@`.
enum CallIDShape {
    /// Longer than any Call-ID a real stack writes (they run 20-80
    /// characters); also what keeps hostile text cheap.
    static let maxLength = 256

    /// `word [ "@" word ]`, 1...256 bytes, at least one letter or digit.
    static func isPlausible<C: BidirectionalCollection<UInt8>>(_ token: C) -> Bool {
        guard !token.isEmpty, token.count <= maxLength else { return false }
        var ats = 0, alnum = false
        for b in token {
            if b == UInt8(ascii: "@") { ats += 1; continue }
            guard ByteClass.isWordByte(b) else { return false }
            if ByteClass.isAlnum(b) { alnum = true }
        }
        guard alnum, ats <= 1 else { return false }
        if ats == 1 { return token.first != UInt8(ascii: "@") && token.last != UInt8(ascii: "@") }
        return true
    }

    /// What may follow a `Call-ID:` marker: the writer said it is a
    /// Call-ID, but "Call ID: see below" must not make "see" one. An `@`
    /// with something on both sides, or a digit in six or more
    /// characters, or sixteen or more characters mixing cases (base64-ish
    /// ids without digits).
    static func isIdentifierLike(_ token: [UInt8]) -> Bool {
        guard isPlausible(token) else { return false }
        if token.contains(UInt8(ascii: "@")) { return true }
        var digits = 0, upper = 0, lower = 0
        for b in token {
            if ByteClass.isDigit(b) { digits += 1 } else if b >= 0x41 && b <= 0x5A { upper += 1 } else if b >= 0x61 && b <= 0x7A { lower += 1 }
        }
        if digits > 0 && token.count >= 6 { return true }
        return token.count >= 16 && upper > 0 && lower > 0
    }

    /// `8-4-4-4-12` hex digits: FreeSWITCH, Teams and many SBCs use a bare
    /// UUID as the Call-ID.
    static func isUUID(_ token: [UInt8]) -> Bool {
        guard token.count == 36 else { return false }
        for (i, b) in token.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 { guard b == UInt8(ascii: "-") else { return false } }
            else { guard ByteClass.isHex(b) else { return false } }
        }
        return true
    }

    /// Sixteen or more hex digits, letters and digits both: a generated id
    /// (some B2BUAs write the Call-ID so, without `@`).
    static func isLongHex(_ token: [UInt8]) -> Bool {
        guard token.count >= 16 else { return false }
        var digit = false, letter = false
        for b in token {
            guard ByteClass.isHex(b) else { return false }
            if ByteClass.isDigit(b) { digit = true } else { letter = true }
        }
        return digit && letter
    }

    /// A token someone quoted or put in code, without `@`: taken when it
    /// looks machine-made (ten or more characters with letters and digits)
    /// and is not a date, a time, a path or a Via branch.
    static func looksGenerated(_ token: [UInt8]) -> Bool {
        guard token.count >= 10, isPlausible(token), !token.contains(UInt8(ascii: "/")) else { return false }
        if ByteClass.hasLowercasedPrefix(token, "z9hg4bk") { return false }
        var digits = 0, letters = 0
        for b in token {
            if ByteClass.isDigit(b) { digits += 1 }
            else if ByteClass.isLetter(b) && b != UInt8(ascii: "T") && b != UInt8(ascii: "Z") { letters += 1 }
        }
        return digits > 0 && letters > 0
    }

    /// A URI rather than a Call-ID: `sip:bob@biloxi.com`, `tel:+1...`,
    /// `mailto:noc@example.com`.
    static func hasURIScheme(_ token: [UInt8]) -> Bool {
        guard let colon = token.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon <= 6 else { return false }
        let scheme = String(decoding: ByteClass.lowered(token[..<colon]), as: UTF8.self)
        return ["sip", "sips", "tel", "mailto", "im", "pres", "xmpp", "h323", "urn"].contains(scheme)
    }

    /// A bare `local@host` is taken for a Call-ID only when its local part
    /// looks machine-made (`a84b4c76e66710@pc33.atlanta.com`); one that
    /// reads like a name or a role (`john.smith@example.com`,
    /// `admin@pbx`, `alice@192.0.2.4`) is an e-mail address, a login or a
    /// SIP user, whatever its host.
    static func isBareCallID(local: ArraySlice<UInt8>) -> Bool {
        localPartLooksGenerated(local)
    }

    static func localPartLooksGenerated(_ local: ArraySlice<UInt8>) -> Bool {
        var digits = 0, hexOnly = true
        for b in local {
            if ByteClass.isDigit(b) { digits += 1 }
            if !ByteClass.isHex(b) && b != UInt8(ascii: "-") { hexOnly = false }
            if b == UInt8(ascii: "%") || b == UInt8(ascii: "!") || b == UInt8(ascii: "~") || b == UInt8(ascii: ":") { return true }
        }
        if digits >= 3 { return true }
        if hexOnly && digits > 0 && local.count >= 8 { return true }
        return local.count >= 24
    }
}
