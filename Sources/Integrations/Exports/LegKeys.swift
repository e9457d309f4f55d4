import SIPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The keys by which Diagnosis' `LegTier` ties one call's legs, as the
/// index stores them: the Call-ID's local part (before `@`, 8 characters
/// or more) and the correlation values a message carries (X-Call-ID and
/// its X-Orig- variants, the RFC 7989 Session-ID, the P-Charging-Vector
/// icid-value), normalised as LegTier compares them. The last tie,
/// an INVITE with the same numbers moments later, has no key: the lookup
/// does not find such a leg (docs/export-directories.md).
public enum LegKeys {
    static let correlationHeaders = ["X-Call-ID", "X-Orig-Call-ID", "X-Original-Call-ID", "Session-ID", "P-Charging-Vector"]

    /// The local part LegTier ties on, or nil when too short to be unique.
    public static func localPart(_ callID: String) -> String? {
        guard let at = callID.firstIndex(of: "@") else { return nil }
        let local = String(callID[..<at])
        return local.utf8.count >= 8 ? local : nil
    }

    /// The value of one correlation header as LegTier compares it; nil
    /// when LegTier would not use it.
    static func correlation(header name: String, value: String) -> String? {
        switch name.lowercased() {
        case "x-call-id", "x-orig-call-id", "x-original-call-id":
            let v = value.trimmingSpaces()
            return v.isEmpty ? nil : v
        case "session-id":
            let v = value.prefix(while: { $0 != ";" }).trimmingCharacters().lowercased()
            return v.count >= 16 && v != String(repeating: "0", count: 32) ? v : nil
        case "p-charging-vector":
            guard let icid = Parameters(Substring(value))["icid-value"], !icid.isEmpty else { return nil }
            return icid
        default:
            return nil
        }
    }

    /// The correlation headers' keys as the parser stores them.
    private static let correlationKeys = correlationHeaders.map { (name: $0, key: HeaderName.key(for: $0)) }

    /// The correlation values of a parsed message: one pass over its
    /// headers (the first of each name, as `SIPMessage`'s subscript gives).
    public static func correlationValues(_ m: SIPMessage) -> [String] {
        var out: [String] = []
        var seen: [String] = []
        for h in m.headers {
            guard let c = correlationKeys.first(where: { $0.key == h.key }), !seen.contains(c.key) else { continue }
            seen.append(c.key)
            if let v = correlation(header: c.name, value: h.value), v != m.callID, !out.contains(v) { out.append(v) }
        }
        return out
    }

    /// The correlation values of a message's bytes, its headers starting
    /// at `headers` (`SIPParser.headersStart`), found by a walk from line
    /// to line that looks at a line's first byte before its name: most
    /// messages carry none of these headers and cost only the walk.
    static func correlationValues(_ buf: UnsafeBufferPointer<UInt8>, headers: Int, callID: String?) -> [String] {
        var out: [String] = []
        var line = headers
        let n = buf.count
        while line < n {
            let first = buf[line]
            if first == 0x0D || first == 0x0A { break }
            let end = memchr(buf.baseAddress! + line, 0x0A, n - line).map { UnsafeRawPointer(buf.baseAddress!).distance(to: UnsafeRawPointer($0)) } ?? n
            // x-..., X-..., session-id, p-charging-vector: the rest is skipped unread.
            let lower = first | 0x20
            if lower == UInt8(ascii: "x") || lower == UInt8(ascii: "s") || lower == UInt8(ascii: "p"),
               let colon = colon(buf, line..<end) {
                let name = ByteText.string(buf, line..<colon).trimmingSpaces()
                if correlationHeaders.contains(where: { $0.caseInsensitiveEquals(name) }) {
                    let raw = ByteText.string(buf, (colon + 1)..<end)
                    if let v = correlation(header: name, value: raw), v != callID, !out.contains(v) { out.append(v) }
                }
            }
            line = end + 1
        }
        return out
    }

    private static func colon(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        // Header names are short; a colon past 24 bytes is not after one of ours.
        var i = r.lowerBound
        let stop = min(r.upperBound, r.lowerBound + 24)
        while i < stop {
            if buf[i] == UInt8(ascii: ":") { return i }
            i += 1
        }
        return nil
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}
