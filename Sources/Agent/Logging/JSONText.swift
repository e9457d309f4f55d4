/// JSON text written by hand, for log lines whose keys must come in a fixed
/// order (time first) and which are made on every log call: RFC 8259
/// section 7 string escaping, and metadata values as strings, objects
/// (keys sorted, so equal metadata gives equal lines) and arrays.
enum JSONText {
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                // Control characters must be escaped; the two line
                // separators are, so that a JavaScript reader keeps the line whole.
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func string(_ text: String) -> String {
        "\"" + escaped(text) + "\""
    }
}
