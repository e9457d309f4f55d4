import Foundation

/// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped), for range tests and
/// address classes.
public struct IPAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public var bytes: [UInt8]
    public var isIPv4: Bool
    public let description: String

    public init?(_ text: String) {
        var t = text.trimmingSpaces()
        if t.hasPrefix("["), t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        if let zone = t.firstIndex(of: "%") { t = String(t[..<zone]) }
        if let v4 = IPAddress.parseV4(Substring(t)) {
            bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + v4
            isIPv4 = true
        } else if let v6 = IPAddress.parseV6(t) {
            bytes = v6
            isIPv4 = false
        } else {
            return nil
        }
        description = t
    }

    static func parseV4(_ t: Substring) -> [UInt8]? {
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            // Digits only: UInt8("+1") and UInt8("-0") would otherwise pass.
            guard !p.isEmpty, p.count <= 3, p.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = UInt8(p) else { return nil }
            out.append(v)
        }
        return out
    }

    static func parseV6(_ t: String) -> [UInt8]? {
        guard t.contains(":"), t.count <= 45 else { return nil }
        var head: [UInt16] = [], tail: [UInt16] = []
        let halves = t.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if i == parts.count - 1, p.contains("."), let v4 = parseV4(p) {
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                } else {
                    guard !p.isEmpty, p.count <= 4, p.allSatisfy(\.isHexDigit), p.allSatisfy(\.isASCII),
                          let v = UInt16(p, radix: 16) else { return nil }
                    out.append(v)
                }
            }
            return out
        }
        guard let h = groups(halves[0]) else { return nil }
        head = h
        if halves.count == 2 {
            guard let tl = groups(halves[1]), head.count + tl.count <= 7 else { return nil }
            tail = tl
        } else {
            guard head.count == 8 else { return nil }
        }
        let all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

/// A CIDR range (`10.0.0.0/8`, `fc00::/7`) or a single address.
public struct AddressRange: Sendable, Hashable, Codable {
    public var base: IPAddress
    /// Prefix length counted over the 128-bit (IPv4-mapped) form.
    public var prefixLength: Int

    public init?(_ text: String) {
        let t = text.trimmingSpaces()
        if let slash = t.firstIndex(of: "/") {
            guard let b = IPAddress(String(t[..<slash])), let n = Int(t[t.index(after: slash)...]) else { return nil }
            let limit = b.isIPv4 ? 32 : 128
            guard n >= 0, n <= limit else { return nil }
            base = b
            prefixLength = b.isIPv4 ? 96 + n : n
        } else {
            guard let b = IPAddress(t) else { return nil }
            base = b
            prefixLength = 128
        }
    }

    public func contains(_ a: IPAddress) -> Bool {
        var bits = prefixLength
        var i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a.bytes[i] & mask != base.bytes[i] & mask { return false }
            bits -= 8
            i += 1
        }
        return true
    }
}
