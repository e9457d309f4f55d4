/// The address of a call's trace on an HTTP service, with `{callid}` where
/// the Call-ID goes: `https://traces.example/calls/{callid}/pcap`.
///
/// The Call-ID is percent-encoded down to RFC 3986's unreserved characters
/// (letters, digits, `-` `.` `_` `~`), so whatever it holds (`/`, `?`, `#`,
/// `@`, `%`, spaces) stays inside its one path segment or query value and
/// cannot reach another path, host or query. A Call-ID that is all dots
/// (`.`, `..`) is encoded whole, or a client would read it as a dot-segment.
public struct CallURLTemplate: Sendable, Equatable, CustomStringConvertible {
    public static let placeholder = "{callid}"
    public let template: String

    /// Refuses a template that is not an http(s) address, holds no
    /// `{callid}`, has one in its scheme or host (a Call-ID must never pick
    /// the server), carries a user in the address, or has another `{…}`.
    public init(_ template: String) throws(HTTPTraceError) {
        let lower = template.lowercased()
        guard let schemeEnd = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : nil else {
            throw .badSettings(reason: "url '\(template)' is not an http:// or https:// address; write e.g. https://traces.example/calls/{callid}/pcap")
        }
        let rest = template.dropFirst(schemeEnd)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else {
            throw .badSettings(reason: "url '\(template)' names no host")
        }
        guard !authority.contains("{"), !authority.contains("}") else {
            throw .badSettings(reason: "url '\(template)' puts {callid} in the host or port; a Call-ID must never choose the server, so put it in the path or the query")
        }
        guard !authority.contains("@") else {
            throw .badSettings(reason: "url names a user in the address; give credentials through auth (a token or basic, by reference), never in the URL")
        }
        guard template.contains(Self.placeholder) else {
            throw .badSettings(reason: "url '\(template)' has no {callid}; write where the Call-ID goes, e.g. https://traces.example/calls/{callid}/pcap")
        }
        let others = template.replacing(Self.placeholder, with: "")
        guard !others.contains("{"), !others.contains("}") else {
            throw .badSettings(reason: "url '\(template)' has a placeholder other than {callid} (the only one known) or a stray brace")
        }
        guard !template.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) else {
            throw .badSettings(reason: "url '\(template)' holds a space or a control character; percent-encode it")
        }
        self.template = template
    }

    /// The URL for one Call-ID.
    public func url(for callID: String) -> String {
        template.replacing(Self.placeholder, with: Self.encode(callID))
    }

    public var description: String { template }

    /// The Call-ID with every byte of its UTF-8 outside RFC 3986's
    /// unreserved set as `%XX` (upper-case hex, section 2.1).
    public static func encode(_ callID: String) -> String {
        let bytes = Array(callID.utf8)
        let allDots = !bytes.isEmpty && bytes.allSatisfy { $0 == UInt8(ascii: ".") }
        var out = ""
        out.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if !allDots && isUnreserved(byte) {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                out += "%" + hex(byte >> 4) + hex(byte & 0x0F)
            }
        }
        return out
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }

    private static let digits = Array("0123456789ABCDEF")

    private static func hex(_ nibble: UInt8) -> String { String(digits[Int(nibble)]) }
}
