/// Lenient SIP message parser for traces: accepts CRLF, LF or CR line
/// endings, folded headers, compact names, `...` elisions and `<-- note`
/// annotations, and records what it forgave instead of failing.
public enum SIPParser {
    public struct Options: Sendable {
        /// Cut ` <-- comment` from line ends, as hand-annotated traces carry.
        public var stripAnnotations = true
        /// A longer header line is cut to this many bytes, with a warning.
        public var maxHeaderLineBytes = 16 * 1024
        /// A longer message is refused.
        public var maxMessageBytes = 4 * 1024 * 1024
        public init() {}
    }

    public static func parse(_ text: String, options: Options = Options()) throws(SIPParseError) -> SIPMessage {
        var text = text
        return try text.withUTF8 { buf in Result { () throws(SIPParseError) in try parse(buf, options: options) } }.get()
    }

    public static func parse(_ bytes: ArraySlice<UInt8>, options: Options = Options()) throws(SIPParseError) -> SIPMessage {
        try bytes.withUnsafeBufferPointer { buf in Result { () throws(SIPParseError) in try parse(buf, options: options) } }.get()
    }

    public static func parse(_ bytes: [UInt8], options: Options = Options()) throws(SIPParseError) -> SIPMessage {
        try bytes.withUnsafeBufferPointer { buf in Result { () throws(SIPParseError) in try parse(buf, options: options) } }.get()
    }

    public static func parse(_ buf: UnsafeBufferPointer<UInt8>, options: Options = Options()) throws(SIPParseError) -> SIPMessage {
        var lines = LineCursor(buf)
        let startRange = try startLine(buf, &lines, options: options)
        guard let startLine = parseStartLine(buf, startRange) else {
            throw .notSIP(firstLine: ByteText.string(buf, startRange.lowerBound..<min(startRange.upperBound, startRange.lowerBound + 200)))
        }

        var headers: [SIPHeader] = []
        headers.reserveCapacity(16)
        var warnings: [String] = []
        var elided = false
        var sawBlank = false

        while let raw = lines.next() {
            var r = raw
            if options.stripAnnotations { r = ByteText.strippingAnnotation(buf, r) }
            if ByteText.isBlank(buf, r) {
                if options.stripAnnotations && !ByteText.isBlank(buf, raw) { continue } // a line that was only a note
                sawBlank = true
                break
            }
            let first = buf[r.lowerBound]
            let t = ByteText.trimmed(buf, r)
            // An elision is a person's mark, however it is indented; test it
            // before folding so it never joins the header above.
            if ByteText.isElision(buf, t) { elided = true; continue }
            if first == 0x20 || first == 0x09 {
                // Folded continuation of the previous header (RFC 3261 7.3.1).
                if !headers.isEmpty {
                    let more = ByteText.string(buf, ByteText.trimmed(buf, r))
                    headers[headers.count - 1].value += " " + more
                }
                continue
            }
            if first == UInt8(ascii: "(") || first == UInt8(ascii: "#") { continue } // narrative line in a pasted trace
            guard let colon = ByteText.firstIndex(of: UInt8(ascii: ":"), in: buf, t),
                  case let nameRange = ByteText.trimmed(buf, t.lowerBound..<colon),
                  !nameRange.isEmpty, ByteText.isToken(buf, nameRange) else {
                warnings.append("ignored a line that is not a header: \"\(ByteText.string(buf, t.lowerBound..<min(t.upperBound, t.lowerBound + 60)))\"")
                continue
            }
            var valueRange = ByteText.trimmed(buf, (colon + 1)..<t.upperBound)
            let name = ByteText.string(buf, nameRange)
            if valueRange.count > options.maxHeaderLineBytes {
                warnings.append("\(name) header of \(valueRange.count) bytes cut to \(options.maxHeaderLineBytes)")
                valueRange = valueRange.lowerBound..<(valueRange.lowerBound + options.maxHeaderLineBytes)
            }
            headers.append(SIPHeader(name: name, key: HeaderName.key(buf, nameRange), value: ByteText.string(buf, valueRange)))
        }

        var body = ""
        var bodyLines = 0
        if sawBlank {
            var bodyBytes: [UInt8] = []
            // Every line may gain a CR; reserving that once avoids regrowing per line.
            let remaining = buf.count - lines.position
            bodyBytes.reserveCapacity(remaining + remaining / 8 + 4)
            var pendingBlank = 0
            while let raw = lines.next() {
                var r = raw
                if options.stripAnnotations { r = ByteText.strippingAnnotation(buf, r) }
                r = ByteText.trimmedTrailing(buf, r)
                if r.isEmpty { pendingBlank += 1; continue }
                if ByteText.isElision(buf, ByteText.trimmed(buf, r)) { elided = true; continue }
                if !bodyBytes.isEmpty {
                    for _ in 0..<pendingBlank { bodyBytes.append(0x0D); bodyBytes.append(0x0A) }
                    bodyLines += pendingBlank
                }
                pendingBlank = 0
                bodyBytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[r]))
                bodyBytes.append(0x0D); bodyBytes.append(0x0A)
                bodyLines += 1
            }
            body = String(decoding: bodyBytes, as: UTF8.self)
        }

        var message = SIPMessage(startLine: startLine, headers: headers, body: body, isElided: elided, warnings: warnings)
        if !elided {
            // Every request and response carries these (RFC 3261 8.1.1);
            // without them the message was cut, typically at the end of a paste.
            var seen = 0
            for h in headers {
                switch h.key {
                case "via": seen |= 1
                case "from": seen |= 2
                case "to": seen |= 4
                case "call-id": seen |= 8
                case "cseq": seen |= 16
                default: break
                }
            }
            let missing = seen == 31 ? [] : ["Via", "From", "To", "Call-ID", "CSeq"].enumerated().filter { seen & (1 << $0.offset) == 0 }.map(\.element)
            if !missing.isEmpty {
                message.warnings.append("no \(missing.joined(separator: ", ")) header\(missing.count == 1 ? "" : "s"): the message looks truncated or incomplete")
            }
        }
        if !elided, let declared = message.contentLength {
            let present = body.utf8.count
            // Pasted text loses or gains CRs, so allow one byte a line.
            let slack = bodyLines + 2
            if declared > present + slack {
                message.warnings.append("Content-Length says \(declared) bytes but only \(present) are present: the message looks truncated")
            } else if declared + slack < present {
                message.warnings.append("Content-Length says \(declared) bytes but \(present) follow: the header does not match the body")
            }
        }
        return message
    }

    /// Where the headers of a message begin (just after its start line),
    /// or nil when `parse` would refuse it (too large, blank, no start
    /// line): what a scanner that parses only some messages asks of the
    /// others, so that its message numbers stay those of a full parse.
    public static func headersStart(_ buf: UnsafeBufferPointer<UInt8>, options: Options = Options()) -> Int? {
        var lines = LineCursor(buf)
        guard let r = try? startLine(buf, &lines, options: options), startLineShape(buf, r) != nil else { return nil }
        return lines.position
    }

    /// The trimmed start line, the cursor left after it; shared by `parse`
    /// and `headersStart` so that they never disagree on what is a message.
    private static func startLine(_ buf: UnsafeBufferPointer<UInt8>, _ lines: inout LineCursor, options: Options) throws(SIPParseError) -> Range<Int> {
        guard buf.count <= options.maxMessageBytes else {
            throw .tooLarge(bytes: buf.count, limit: options.maxMessageBytes)
        }
        var first: Range<Int>? = nil
        while let r = lines.next() {
            if !ByteText.isBlank(buf, r) { first = r; break }
        }
        guard var startRange = first else { throw .empty }
        // A note on the start line (`INVITE sip:... SIP/2.0  <-- dialled`) is as common as on any other.
        if options.stripAnnotations { startRange = ByteText.strippingAnnotation(buf, startRange) }
        return ByteText.trimmed(buf, startRange)
    }

    /// Recognises a start line; used by readers to find message boundaries.
    /// Readers ask this of every line, so it builds no strings.
    public static func isStartLine(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        startLineShape(buf, ByteText.trimmed(buf, r)) != nil
    }

    public static func isStartLine(_ line: String) -> Bool {
        var s = line
        return s.withUTF8 { isStartLine($0, 0..<$0.count) }
    }

    static func parseStartLine(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> SIPMessage.StartLine? {
        switch startLineShape(buf, r) {
        case .response(let code, let reason)?:
            return .response(code: code, reason: reason.map { ByteText.string(buf, $0) } ?? "")
        case .request(let method, let uri)?:
            return .request(method: ByteText.string(buf, method), uri: ByteText.string(buf, uri))
        case nil:
            return nil
        }
    }

    /// Where the parts of a start line lie, as byte ranges.
    enum StartLineShape {
        case response(code: Int, reason: Range<Int>?)
        case request(method: Range<Int>, uri: Range<Int>)
    }

    /// `SIP/2.0 code reason` or `METHOD SP Request-URI SP SIP/2.0`, in a
    /// trimmed range; nil for anything else.
    static func startLineShape(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> StartLineShape? {
        guard r.count >= 11 else { return nil }
        let lo = r.lowerBound
        // Readers ask this of every line: a line that neither starts with
        // an `s` nor ends with the `0` of `SIP/2.0` is no start line.
        guard buf[lo] | 0x20 == UInt8(ascii: "s") || buf[r.upperBound - 1] == UInt8(ascii: "0") else { return nil }
        // RFC 3261 7.1: the version string is case-insensitive.
        if buf[lo] | 0x20 == UInt8(ascii: "s"), ByteText.hasPrefixIgnoringCase(buf, r, "SIP/2.0 ") {
            var i = lo + 8
            var code = 0, digits = 0
            while i < r.upperBound, digits < 3, buf[i] >= 0x30, buf[i] <= 0x39 {
                code = code * 10 + Int(buf[i] - 0x30); digits += 1; i += 1
            }
            guard digits == 3, code >= 100, code <= 699 else { return nil }
            guard i == r.upperBound || buf[i] == 0x20 || buf[i] == 0x09 else { return nil }
            return .response(code: code, reason: i < r.upperBound ? ByteText.trimmed(buf, (i + 1)..<r.upperBound) : nil)
        }
        guard ByteText.hasSuffixIgnoringCase(buf, r, " SIP/2.0") else { return nil }
        var i = lo
        while i < r.upperBound, ByteText.isMethodByte(buf[i]) { i += 1 }
        // `INVITE SIP/2.0`: the method's space is the suffix's own, with no
        // room for a URI (this once formed an inverted range and trapped).
        guard i > lo, i + 1 <= r.upperBound - 8, buf[i] == 0x20 else { return nil }
        let uriRange = ByteText.trimmed(buf, (i + 1)..<(r.upperBound - 8))
        guard !uriRange.isEmpty, ByteText.firstIndex(of: 0x20, in: buf, uriRange) == nil,
              ByteText.firstIndex(of: UInt8(ascii: ":"), in: buf, uriRange) != nil else { return nil }
        return .request(method: lo..<i, uri: uriRange)
    }
}
