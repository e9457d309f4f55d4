import SIPCore

/// A transport address as a trace shows it: `203.0.113.9:5060`, `[2001:db8::1]:5060`.
public struct Endpoint: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public var host: String
    public var port: Int?

    public init(host: String, port: Int?) {
        self.host = host
        self.port = port
    }

    /// Parses `host`, `host:port` or `[v6]:port`.
    public init?(_ text: String) {
        let t = text.trimmingSpaces()
        guard !t.isEmpty else { return nil }
        let (h, p) = HostPort.split(Substring(t))
        guard !h.isEmpty else { return nil }
        host = h
        port = p
    }

    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(h):\($0)" } ?? h
    }

    public static func < (a: Endpoint, b: Endpoint) -> Bool { a.description < b.description }
}

