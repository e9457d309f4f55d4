#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the one header a scanner needs straight from a message's bytes,
/// without parsing the message: the Call-ID of every message a filtered
/// read skips, or of every message a listing counts, costs a jump from
/// line to line (`memchr`) and a look at each line's first bytes.
///
/// It answers what `SIPParser.parse(...).callID` would: the first
/// `Call-ID` or `i` header (any case, space before the colon allowed)
/// before the blank line that ends the headers. Whatever only the parser
/// reads right (a folded Call-ID, a ` <-- note`, a value longer than a
/// header line may be, a message without a Call-ID line found this way)
/// falls back to the parser, so the answer is the parser's.
public enum SIPHeaderScan {
    /// The Call-ID `SIPParser.parse(buf).callID` gives; nil when the
    /// message has none or does not parse.
    public static func callID(_ buf: UnsafeBufferPointer<UInt8>) -> String? {
        guard let headers = SIPParser.headersStart(buf) else { return nil }
        switch scanCallID(buf, from: headers) {
        case .found(let r): return ByteText.string(buf, r).trimmingSpaces()
        case .unsure: return (try? SIPParser.parse(buf))?.callID
        }
    }

    /// The Call-ID of a message already known to parse, its headers
    /// starting at `headers` (`SIPParser.headersStart`).
    public static func callID(_ buf: UnsafeBufferPointer<UInt8>, headers: Int) -> String? {
        switch scanCallID(buf, from: headers) {
        case .found(let r): return ByteText.string(buf, r).trimmingSpaces()
        case .unsure: return (try? SIPParser.parse(buf))?.callID
        }
    }

    /// Where the Call-ID lies in the bytes of a message known to parse,
    /// trimmed, exactly the `callID` string; nil when only the parser can
    /// tell (then ask `callID(_:headers:)`). For counting Call-IDs without
    /// building a string per message.
    public static func callIDRange(_ buf: UnsafeBufferPointer<UInt8>, headers: Int) -> Range<Int>? {
        guard case .found(let r) = scanCallID(buf, from: headers) else { return nil }
        // `trimmingSpaces` also drops line feeds, which a range found here never ends with.
        return r
    }

    /// True when the message is an INVITE whose To header has no tag
    /// parameter, or when a scan cannot tell (the caller then parses): a
    /// candidate dialog-creating INVITE. False only when the start line is
    /// not an INVITE or the To header plainly carries `;tag=`.
    public static func mayCreateDialog(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard startsWithInvite(buf) else { return false }
        guard let headers = SIPParser.headersStart(buf) else { return false }
        return toHasNoTag(buf, headers: headers)
    }

    /// `mayCreateDialog` of a message whose headers start at `headers`
    /// (`SIPParser.headersStart`), without reading its start line again.
    public static func mayCreateDialog(_ buf: UnsafeBufferPointer<UInt8>, headers: Int) -> Bool {
        guard startsWithInvite(buf) else { return false }
        return toHasNoTag(buf, headers: headers)
    }

    private static func toHasNoTag(_ buf: UnsafeBufferPointer<UInt8>, headers: Int) -> Bool {
        guard let to = firstHeader(buf, from: headers, long: "to", compact: UInt8(ascii: "t")) else { return true }
        return !hasTag(buf, to)
    }

    /// `INVITE ` first, after any blank lines or indentation (the method
    /// is case-sensitive, as `SIPMessage.method` compares it).
    public static func startsWithInvite(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < buf.count, ByteText.isSpace(buf[i]) || buf[i] == 0x0D || buf[i] == 0x0A { i += 1 }
        let invite: StaticString = "INVITE "
        guard buf.count - i > 7 else { return false }
        return invite.withUTF8Buffer { w in
            for k in 0..<7 where buf[i + k] != w[k] { return false }
            return true
        }
    }

    enum Found {
        case found(Range<Int>)
        /// Something only the parser reads right; ask it.
        case unsure
    }

    static func scanCallID(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) -> Found {
        guard let r = firstHeader(buf, from: start, long: "call-id", compact: UInt8(ascii: "i")) else { return .unsure }
        return r
    }

    /// The value range of the first header named `long` or `compact`, or
    /// `.unsure`; nil when the headers end without it.
    private static func firstHeader(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, long: StaticString, compact: UInt8) -> Found? {
        guard let base = buf.baseAddress else { return nil }
        let n = buf.count
        var line = start
        while line < n {
            let first = buf[line]
            // A blank line (CRLF, LF or a lone CR) ends the headers.
            if first == 0x0D || first == 0x0A { return nil }
            let nl = memchr(base + line, 0x0A, n - line).map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) } ?? n
            if first == 0x20 || first == 0x09 {
                // A line of spaces ends the headers for the parser too.
                if ByteText.isBlank(buf, line..<nl) { return nil }
            } else if let value = value(buf, line..<nl, long: long, compact: compact) {
                guard let v = value else { return .unsure }
                // A folded value, a note or an oversized line: the parser's job.
                if nl + 1 < n, buf[nl + 1] == 0x20 || buf[nl + 1] == 0x09 { return .unsure }
                if v.count > SIPParser.Options().maxHeaderLineBytes || ByteText.strippingAnnotation(buf, v) != v { return .unsure }
                for i in v where buf[i] == 0x0D { return .unsure }
                return .found(v)
            }
            line = nl + 1
        }
        return nil
    }

    /// For a line named `long` or `compact` (case-insensitive, blanks
    /// allowed before the colon): `.some(range)` of its trimmed value, or
    /// `.some(nil)` when it is that header in a shape to leave to the
    /// parser; nil for any other line.
    private static func value(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, long: StaticString, compact: UInt8) -> Range<Int>?? {
        let lower = ByteText.lower(buf[r.lowerBound])
        if lower == compact, let colon = colon(buf, after: r.lowerBound + 1, r) {
            return .some(ByteText.trimmed(buf, (colon + 1)..<r.upperBound))
        }
        let matched = long.withUTF8Buffer { w -> Bool in
            guard lower == w[0], r.count >= w.count else { return false }
            for k in 1..<w.count where ByteText.lower(buf[r.lowerBound + k]) != w[k] { return false }
            return true
        }
        guard matched, let colon = colon(buf, after: r.lowerBound + long.utf8CodeUnitCount, r) else { return nil }
        return .some(ByteText.trimmed(buf, (colon + 1)..<r.upperBound))
    }

    /// The colon after a header name ending at `i`, blanks allowed before it.
    private static func colon(_ buf: UnsafeBufferPointer<UInt8>, after i: Int, _ r: Range<Int>) -> Int? {
        var i = i
        while i < r.upperBound, buf[i] == 0x20 || buf[i] == 0x09 { i += 1 }
        return i < r.upperBound && buf[i] == UInt8(ascii: ":") ? i : nil
    }

    /// A `tag` parameter after the address (after `>` when there is one).
    private static func hasTag(_ buf: UnsafeBufferPointer<UInt8>, _ found: Found) -> Bool {
        guard case .found(let r) = found else { return false }
        var i = r.lowerBound
        if let close = ByteText.firstIndex(of: UInt8(ascii: ">"), in: buf, r) {
            i = close + 1
        } else if ByteText.firstIndex(of: UInt8(ascii: "<"), in: buf, r) != nil {
            return false
        }
        while i < r.upperBound {
            if buf[i] == UInt8(ascii: ";") {
                var k = i + 1
                while k < r.upperBound, buf[k] == 0x20 || buf[k] == 0x09 { k += 1 }
                if k + 3 < r.upperBound, ByteText.lower(buf[k]) == UInt8(ascii: "t"), ByteText.lower(buf[k + 1]) == UInt8(ascii: "a"),
                   ByteText.lower(buf[k + 2]) == UInt8(ascii: "g"), buf[k + 3] == UInt8(ascii: "=") { return true }
            }
            i += 1
        }
        return false
    }
}
