/// Lexical helpers shared by every structured header: list splitting and
/// `;name=value` parameters, both aware of quotes and angle brackets.
public enum HeaderValue {
    /// Splits `a, "b, c" <sip:x>, d` on top-level commas.
    public static func splitList(_ value: String) -> [String] {
        split(value, on: UInt8(ascii: ","))
    }

    /// Splits on a separator that is not inside quotes or `<...>`.
    public static func split(_ value: String, on separator: UInt8) -> [String] {
        var parts: [String] = []
        var inQuotes = false, depth = 0, escaped = false
        var current: [UInt8] = []
        for b in value.utf8 {
            if escaped { current.append(b); escaped = false; continue }
            switch b {
            case UInt8(ascii: "\\") where inQuotes: escaped = true
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: "<") where !inQuotes: depth += 1
            case UInt8(ascii: ">") where !inQuotes: depth = max(0, depth - 1)
            case separator where !inQuotes && depth == 0:
                let s = String(decoding: current, as: UTF8.self).trimmingSpaces()
                if !s.isEmpty { parts.append(s) }
                current.removeAll(keepingCapacity: true)
                continue
            default: break
            }
            current.append(b)
        }
        let s = String(decoding: current, as: UTF8.self).trimmingSpaces()
        if !s.isEmpty { parts.append(s) }
        return parts
    }

    /// Parses `;a=1;b;c="x"` into ordered pairs; names lower-cased,
    /// surrounding quotes removed from values.
    public static func parameters(_ text: Substring) -> [(name: String, value: String?)] {
        split(String(text), on: UInt8(ascii: ";")).map { part in
            if let eq = part.firstIndex(of: "=") {
                let name = part[..<eq].trimmingCharacters().lowercased()
                var value = part[part.index(after: eq)...].trimmingCharacters()
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = String(value.dropFirst().dropLast())
                }
                return (name, value)
            }
            return (part.trimmingSpaces().lowercased(), nil)
        }
    }
}

extension Substring {
    /// Trims spaces and tabs (see `String.trimmingSpaces`).
    public func trimmingCharacters() -> String { String(self).trimmingSpaces() }
}

/// Ordered header or URI parameters with case-insensitive names.
public struct Parameters: Sendable, Hashable, Codable {
    public var items: [Item]
    public struct Item: Sendable, Hashable, Codable {
        public var name: String
        public var value: String?
    }

    public init(_ text: Substring = "") {
        items = text.isEmpty ? [] : HeaderValue.parameters(text).map { Item(name: $0.name, value: $0.value) }
    }

    public subscript(_ name: String) -> String? {
        let n = name.lowercased()
        return items.first { $0.name == n }?.value ?? nil
    }

    public func contains(_ name: String) -> Bool {
        let n = name.lowercased()
        return items.contains { $0.name == n }
    }
}
