/// Measures how deep JSON nests, in one pass over the bytes, before a
/// recursive parser is let loose on them.
enum JSONDepth {
    /// The offset where nesting first goes past `limit`, or nil if it never does.
    static func exceeds(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Int? {
        var depth = 0
        var inString = false, escaped = false
        for i in 0..<bytes.count {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return i }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }
}
