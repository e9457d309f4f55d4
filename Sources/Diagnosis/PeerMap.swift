import SIPCore

/// Address ranges mapped to participant names (`203.0.113.0/24=SBC`),
/// from `--peer` and later from configuration.
public struct PeerMap: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var range: AddressRange
        public var name: String
    }
    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Parses `CIDR=NAME` or `ADDRESS=NAME` specifications.
    public init(parsing specs: [String]) throws(PeerMapError) {
        var entries: [Entry] = []
        for spec in specs {
            guard let eq = spec.firstIndex(of: "=") else { throw .malformed(spec) }
            let name = spec[spec.index(after: eq)...].trimmingCharacters()
            guard !name.isEmpty, let range = AddressRange(String(spec[..<eq])) else { throw .malformed(spec) }
            entries.append(Entry(range: range, name: name))
        }
        self.entries = entries
    }

    /// The name of the most specific range holding `host`.
    public func name(for host: String) -> String? {
        guard let addr = IPAddress(host) else { return nil }
        return entries.filter { $0.range.contains(addr) }.max { $0.range.prefixLength < $1.range.prefixLength }?.name
    }
}

public enum PeerMapError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        if case .malformed(let s) = self {
            return "peer \"\(s)\" is not RANGE=NAME; write it like 203.0.113.0/24=SBC or 198.51.100.4=CARRIER"
        }
        return ""
    }
}
