/// A `sip:`, `sips:` or `tel:` URI: `sip:+15551234567@host:5060;transport=udp`.
public struct SIPURI: Sendable, Hashable, Codable, CustomStringConvertible {
    public var scheme: String
    public var user: String?
    public var host: String
    public var port: Int?
    public var parameters: Parameters
    /// The URI exactly as written.
    public var raw: String

    public init?(_ text: String) {
        let t = text.trimmingSpaces()
        guard let colon = t.firstIndex(of: ":") else { return nil }
        let scheme = t[..<colon].lowercased()
        guard ["sip", "sips", "tel"].contains(scheme) else { return nil }
        self.scheme = scheme
        self.raw = t
        var rest = t[t.index(after: colon)...]
        // Headers (`?Subject=...`) are not needed for diagnosis.
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        // The user part may carry its own `;` parameters (RFC 4694
        // `+1555;npdi;rn=...@host`), so split off the userinfo before
        // looking for URI parameters. An `@` is not allowed unescaped in
        // the userinfo, so the first one ends it.
        var userPart: Substring? = nil
        if scheme != "tel", let at = rest.firstIndex(of: "@") {
            userPart = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var params: Substring = ""
        if let semi = rest.firstIndex(of: ";") {
            params = rest[rest.index(after: semi)...]
            rest = rest[..<semi]
        }
        parameters = Parameters(params)
        if scheme == "tel" {
            user = String(rest)
            host = ""
            port = nil
            return
        }
        if var u = userPart {
            if let pw = u.firstIndex(of: ":") { u = u[..<pw] }
            user = String(u)
        } else {
            user = nil
        }
        let (h, p) = HostPort.split(rest)
        guard !h.isEmpty else { return nil }
        host = h
        port = p
    }

    public var description: String { raw }

    /// The user part with visual separators removed, for number comparison.
    public var number: String? {
        guard let user else { return nil }
        // Only the telephone-subscriber, not its `;npdi;rn=` parameters.
        let digits = user.prefix { $0 != ";" }.filter { $0.isNumber || $0 == "+" }
        return digits.isEmpty ? nil : digits
    }
}

/// `host`, `host:port`, `[v6]:port` splitting.
public enum HostPort {
    public static func split(_ text: Substring) -> (host: String, port: Int?) {
        let t = text.trimmingCharacters()
        if t.hasPrefix("[") {
            if let close = t.firstIndex(of: "]") {
                let host = String(t[t.index(after: t.startIndex)..<close])
                let after = t[t.index(after: close)...]
                if after.hasPrefix(":") { return (host, Int(after.dropFirst())) }
                return (host, nil)
            }
            return (String(t.dropFirst()), nil)
        }
        // More than one colon and no brackets: a bare IPv6 address.
        let colons = t.filter { $0 == ":" }.count
        if colons == 1, let c = t.lastIndex(of: ":") {
            return (String(t[..<c]), Int(t[t.index(after: c)...]))
        }
        return (t, nil)
    }
}
