/// The byte classes the extractor's scanners share.
enum ByteClass {
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == 0x0B }
    static func lower(_ b: UInt8) -> UInt8 { isLetter(b) ? b | 0x20 : b }

    static func isASCIIPunctuation(_ b: UInt8) -> Bool {
        (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E)
    }

    /// Bytes a token is made of: the RFC 3261 `word` characters that do
    /// not also delimit words in prose, plus `@`. `word` also allows
    /// `( ) < > " ' [ ] { } \` and the backtick, but in text those wrap an
    /// identifier far more often than they are part of one, so a Call-ID
    /// that holds them is cut there (none seen in practice).
    static let tokenTable: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] = true }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(b)] = true }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(b)] = true }
        for c in "-.!%*_+~:/?@".utf8 { t[Int(c)] = true }
        return t
    }()

    static func isTokenByte(_ b: UInt8) -> Bool { tokenTable[Int(b)] }

    /// RFC 3261 §25.1 `word` characters: what a Call-ID may hold on either
    /// side of its one `@`.
    static let wordTable: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] = true }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(b)] = true }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(b)] = true }
        for c in "-.!%*_+`'~()<>:\\\"/[]?{}".utf8 { t[Int(c)] = true }
        return t
    }()

    static func isWordByte(_ b: UInt8) -> Bool { wordTable[Int(b)] }

    static func lowered<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] { bytes.map(lower) }

    static func equalsLowercased<C: Collection<UInt8>>(_ bytes: C, _ word: String) -> Bool {
        guard bytes.count == word.utf8.count else { return false }
        return zip(bytes, word.utf8).allSatisfy { lower($0) == $1 }
    }

    static func hasLowercasedPrefix<C: Collection<UInt8>>(_ bytes: C, _ word: String) -> Bool {
        guard bytes.count >= word.utf8.count else { return false }
        return zip(bytes, word.utf8).allSatisfy { lower($0) == $1 }
    }
}
