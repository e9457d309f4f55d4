/// One Via entry: `SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK..;rport=5060;received=1.2.3.4`.
public struct Via: Sendable, Hashable, Codable {
    public var transport: String
    public var host: String
    public var port: Int?
    public var parameters: Parameters

    public init?(_ text: String) {
        let t = Via.closingSlashGaps(text.trimmingSpaces())
        guard let space = t.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
        let proto = t[..<space]
        transport = proto.split(separator: "/").last.map { $0.uppercased() } ?? "UDP"
        var rest = t[space...].drop { $0 == " " || $0 == "\t" }
        var params: Substring = ""
        if let semi = rest.firstIndex(of: ";") {
            params = rest[rest.index(after: semi)...]
            rest = rest[..<semi]
        }
        let (h, p) = HostPort.split(rest)
        guard !h.isEmpty else { return nil }
        host = h
        port = p
        parameters = Parameters(params)
    }

    /// `SIP / 2.0 / UDP host` (RFC 3261 allows LWS around the slashes of
    /// sent-protocol) becomes `SIP/2.0/UDP host`: whitespace next to a `/`
    /// before the parameters is dropped.
    static func closingSlashGaps(_ t: String) -> String {
        let end = t.firstIndex(of: ";") ?? t.endIndex
        let head = t[..<end]
        // Fast path: nearly every Via has no whitespace beside a slash.
        var spaced = false
        var previous: UInt8 = 0
        for b in head.utf8 {
            let isSpace = b == 0x20 || b == 0x09
            if (isSpace && previous == UInt8(ascii: "/")) || (b == UInt8(ascii: "/") && (previous == 0x20 || previous == 0x09)) { spaced = true; break }
            previous = b
        }
        guard spaced else { return t }
        var out = ""
        var gap = ""
        for c in head {
            if c == " " || c == "\t" { gap.append(c); continue }
            if c != "/" && out.last != "/" { out += gap }
            gap = ""
            out.append(c)
        }
        return out + gap + t[end...]
    }

    public var branch: String? { parameters["branch"] }
    public var received: String? { parameters["received"] }
    /// `rport` with a value; a bare `rport` is a request for one.
    public var rport: Int? { parameters["rport"].flatMap { Int($0) } }
}
