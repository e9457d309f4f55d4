/// One header line of a SIP message, as it stood in the trace.
///
/// `key` is the lower-cased long form (`i` and `Call-ID` both become
/// `call-id`) so that lookups never care which spelling the sender used.
public struct SIPHeader: Sendable, Hashable, Codable {
    /// The name as written in the trace (`i`, `CALL-ID`, `Call-ID`).
    public var name: String
    /// Lower-cased long form used for lookups.
    public var key: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.key = HeaderName.key(for: name)
        self.value = value
    }

    /// For the parser, which already has the key from the name's bytes.
    init(name: String, key: String, value: String) {
        self.name = name
        self.key = key
        self.value = value
    }
}

/// Header-name semantics: compact forms (RFC 3261 section 7.3.3 and its
/// companions) and case-insensitive comparison.
public enum HeaderName {
    /// Compact form letter to long form, lower-cased.
    public static let compactForms: [String: String] = [
        "i": "call-id", "f": "from", "t": "to", "v": "via", "m": "contact",
        "l": "content-length", "c": "content-type", "k": "supported",
        "s": "subject", "e": "content-encoding", "o": "event",
        "r": "refer-to", "b": "referred-by", "x": "session-expires",
        "y": "identity", "u": "allow-events", "a": "accept-contact",
        "j": "reject-contact", "d": "request-disposition",
    ]

    /// The key of a header name given as ASCII token bytes, without the
    /// Unicode-aware `lowercased()` (the parser's hottest allocation).
    static func key(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        let lower = String(unsafeUninitializedCapacity: r.count) { out in
            var k = 0
            for i in r { out[k] = ByteText.lower(buf[i]); k += 1 }
            return k
        }
        if r.count == 1, let long = compactForms[lower] { return long }
        return lower
    }

    public static func key(for name: String) -> String {
        let lower = name.lowercased()
        if lower.utf8.count == 1, let long = compactForms[lower] { return long }
        return lower
    }
}
