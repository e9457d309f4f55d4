/// Where an address can be reached from: the distinction that decides
/// whether an SDP address is NAT evidence.
public enum AddressClass: String, Sendable, Hashable, Codable {
    /// RFC 1918 and IPv6 unique local (fc00::/7).
    case `private`
    /// Carrier-grade NAT, 100.64.0.0/10 (RFC 6598).
    case sharedCGNAT = "cgnat"
    case linkLocal = "link-local"
    case loopback
    /// 0.0.0.0 / :: — in SDP, an old-style hold, not an address.
    case unspecified
    case `public`
    /// A host name, not an address.
    case hostname

    public init(_ host: String) {
        guard let ip = IPAddress(host) else { self = .hostname; return }
        self = AddressClass.classify(ip)
    }

    /// True for addresses the far side of the internet cannot send to.
    public var isUnroutable: Bool {
        switch self {
        case .private, .sharedCGNAT, .linkLocal, .loopback: return true
        case .unspecified, .public, .hostname: return false
        }
    }

    static let ranges: [(AddressRange, AddressClass)] = ([
        ("10.0.0.0/8", .private), ("172.16.0.0/12", .private), ("192.168.0.0/16", .private),
        ("100.64.0.0/10", .sharedCGNAT), ("169.254.0.0/16", .linkLocal), ("127.0.0.0/8", .loopback),
        ("0.0.0.0/32", .unspecified), ("fc00::/7", .private), ("fe80::/10", .linkLocal),
        ("::1/128", .loopback), ("::/128", .unspecified),
    ] as [(String, AddressClass)]).map { (AddressRange($0.0)!, $0.1) }

    static func classify(_ ip: IPAddress) -> AddressClass {
        for (range, cls) in ranges where range.contains(ip) { return cls }
        return .public
    }
}
