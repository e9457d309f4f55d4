/// HTML character references: the named ones mail and chat clients write,
/// and every numeric one. An unknown or malformed reference stays as
/// written. The name is read for at most 32 bytes, so a text of `&`s costs
/// no more than its length.
enum HTMLEntity {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ensp": " ", "emsp": " ", "thinsp": " ",
        "ndash": "-", "mdash": "-", "hellip": "...", "lsquo": "'", "rsquo": "'", "ldquo": "\"", "rdquo": "\"",
        "commat": "@", "colon": ":", "period": ".", "lowbar": "_", "hyphen": "-", "num": "#", "sol": "/", "equals": "=",
        "copy": "©", "reg": "®", "shy": "", "zwsp": "", "ZeroWidthSpace": "",
    ]

    /// The text of the reference at `start` (which holds `&`) and where
    /// scanning resumes.
    static func decode(_ bytes: [UInt8], at start: Int) -> ([UInt8], Int) {
        let n = bytes.count
        var j = start + 1
        let limit = min(n, start + 34)
        while j < limit && bytes[j] != UInt8(ascii: ";") && (ByteClass.isAlnum(bytes[j]) || bytes[j] == UInt8(ascii: "#")) { j += 1 }
        guard j < limit, bytes[j] == UInt8(ascii: ";"), j > start + 1 else { return ([UInt8(ascii: "&")], start + 1) }
        let name = bytes[(start + 1)..<j]
        if name.first == UInt8(ascii: "#") {
            var value: UInt32 = 0
            var digits = name.dropFirst()
            var radix: UInt32 = 10
            if let x = digits.first, x == UInt8(ascii: "x") || x == UInt8(ascii: "X") { radix = 16; digits = digits.dropFirst() }
            guard !digits.isEmpty, digits.count <= 8 else { return ([UInt8(ascii: "&")], start + 1) }
            for d in digits {
                let v: UInt32
                if ByteClass.isDigit(d) { v = UInt32(d - 0x30) }
                else if radix == 16 && ByteClass.isHex(d) { v = UInt32(ByteClass.lower(d) - 0x61 + 10) }
                else { return ([UInt8(ascii: "&")], start + 1) }
                value = value * radix + v
            }
            let scalar = Unicode.Scalar(value).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}"
            if scalar == "\u{00AD}" || scalar == "\u{200B}" || scalar == "\u{2060}" || scalar == "\u{FEFF}" { return ([], j + 1) }
            return (Array(String(Character(scalar)).utf8), j + 1)
        }
        if let text = named[String(decoding: name, as: UTF8.self)] { return (Array(text.utf8), j + 1) }
        return ([UInt8(ascii: "&")], start + 1)
    }

    /// Every reference in `bytes` decoded (attribute values).
    static func decodeAll(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "&")) else { return Array(bytes) }
        let array = Array(bytes)
        var out: [UInt8] = []
        var i = 0
        while i < array.count {
            if array[i] == UInt8(ascii: "&") {
                let (decoded, next) = decode(array, at: i)
                out += decoded
                i = next
            } else {
                out.append(array[i])
                i += 1
            }
        }
        return out
    }
}
