/// `"Bob" <sip:1001@example.com>;tag=xyz` or the bare addr-spec form
/// `sip:1001@example.com;tag=xyz` (From, To, Contact, PAI, Route).
public struct NameAddress: Sendable, Hashable, Codable {
    public var displayName: String?
    public var uri: SIPURI?
    /// The URI text even when it is not a SIP URI (`*` in Contact, `urn:`).
    public var uriText: String
    public var parameters: Parameters

    public init?(_ text: String) {
        let t = text.trimmingSpaces()
        guard !t.isEmpty else { return nil }
        if let open = NameAddress.firstUnquotedAngle(in: t), let close = t[open...].firstIndex(of: ">") {
            var name = t[..<open].trimmingCharacters()
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = NameAddress.unescaped(name.dropFirst().dropLast())
            }
            displayName = name.isEmpty ? nil : name
            uriText = String(t[t.index(after: open)..<close])
            let after = t[t.index(after: close)...]
            if let semi = after.firstIndex(of: ";") {
                parameters = Parameters(after[after.index(after: semi)...])
            } else {
                parameters = Parameters()
            }
        } else {
            // addr-spec: parameters after the URI belong to the header
            // (RFC 3261 section 20), so `;tag=` is a header parameter.
            displayName = nil
            if let semi = t.firstIndex(of: ";") {
                uriText = String(t[..<semi])
                parameters = Parameters(t[t.index(after: semi)...])
            } else {
                uriText = t
                parameters = Parameters()
            }
        }
        uri = SIPURI(uriText)
    }

    public var tag: String? { parameters["tag"] }

    /// The first `<` that is not inside a quoted display name.
    static func firstUnquotedAngle(in t: String) -> String.Index? {
        var inQuotes = false, escaped = false
        var i = t.startIndex
        while i < t.endIndex {
            let c = t[i]
            if escaped { escaped = false }
            else if c == "\\" && inQuotes { escaped = true }
            else if c == "\"" { inQuotes.toggle() }
            else if c == "<" && !inQuotes { return i }
            i = t.index(after: i)
        }
        return nil
    }

    /// Removes quoted-pair backslashes (`\"` becomes `"`).
    static func unescaped(_ s: Substring) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if !escaped && c == "\\" { escaped = true; continue }
            escaped = false
            out.append(c)
        }
        return out
    }
}
