/// One Via entry: `SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK..;rport=5060;received=1.2.3.4`.
public struct Via: Sendable, Hashable, Codable {
    public var transport: String
    public var host: String
    public var port: Int?
    public var parameters: Parameters

    public init?(_ text: String) {
        let t = text.trimmingSpaces()
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

    public var branch: String? { parameters["branch"] }
    public var received: String? { parameters["received"] }
    /// `rport` with a value; a bare `rport` is a request for one.
    public var rport: Int? { parameters["rport"].flatMap { Int($0) } }
}
