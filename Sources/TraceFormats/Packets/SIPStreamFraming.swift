import SIPCore

/// Where SIP messages begin and end in a byte stream (RFC 3261 18.3: over
/// a stream transport, Content-Length frames the body; a message without
/// it is taken to end at the blank line after its headers).
enum SIPStreamFraming {
    private static let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    /// The start of the first line in `r` that is a SIP start line
    /// (`METHOD uri SIP/2.0` or `SIP/2.0 code reason`). Looks for the
    /// version token first, so text without it costs one pass of byte
    /// compares and nothing else.
    static func firstStartLine(_ b: UnsafeRawBufferPointer, in r: Range<Int>) -> Int? {
        var i = r.lowerBound
        while i + 7 <= r.upperBound {
            guard b[i] | 0x20 == UInt8(ascii: "s"), isVersion(b, at: i) else { i += 1; continue }
            let lineStart = startOfLine(b, before: i, floor: r.lowerBound)
            if lineStart == i {
                // `SIP/2.0 200 OK`
                if isStartLine(b, lineStart..<endOfLine(b, from: i, limit: r.upperBound)) { return lineStart }
            } else if i + 7 == r.upperBound || b[i + 7] == cr || b[i + 7] == lf,
                      let start = requestStart(b, versionAt: i, floor: lineStart),
                      isStartLine(b, start..<(i + 7)) {
                // `INVITE sip:bob@example.com SIP/2.0`, possibly glued to the
                // end of a body whose Content-Length was too short.
                return start
            }
            i += 7
        }
        return nil
    }

    /// The index just past the blank line that ends the headers starting
    /// at `r.lowerBound` (CRLF CRLF, or bare LF LF as lenient senders write).
    static func endOfHeaders(_ b: UnsafeRawBufferPointer, in r: Range<Int>) -> Int? {
        var i = r.lowerBound
        while i < r.upperBound {
            if b[i] == lf {
                if i + 1 < r.upperBound, b[i + 1] == lf { return i + 2 }
                if i + 2 < r.upperBound, b[i + 1] == cr, b[i + 2] == lf { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    enum BodyLength: Equatable {
        case absent
        case length(Int)
        /// Digits that do not make a length (or one over any sane size).
        case invalid
    }

    /// The value of Content-Length (or its compact form `l`) in a header block.
    static func contentLength(_ b: UnsafeRawBufferPointer, headers r: Range<Int>) -> BodyLength {
        var lineStart = r.lowerBound
        while lineStart < r.upperBound {
            let lineEnd = endOfLine(b, from: lineStart, limit: r.upperBound)
            if let value = lengthValue(b, lineStart..<lineEnd) { return value }
            lineStart = lineEnd + 1
        }
        return .absent
    }

    /// The message kind a stream's first bytes announce, before a whole
    /// line has arrived: a method token or `SIP/` then a space or slash.
    static func mayStartMessage(_ b: UnsafeRawBufferPointer, at start: Int) -> Bool {
        var i = start
        while i < b.count, i - start < 20 {
            let c = b[i]
            if c == 0x20 { return i > start }
            if c == UInt8(ascii: "/") { return i - start == 3 && b[start] | 0x20 == UInt8(ascii: "s") }
            guard (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D else { return false }
            i += 1
        }
        // Too short to tell: accept, the start line check decides later.
        return i == b.count
    }

    static func isStartLine(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        SIPParser.isStartLine(b.assumingMemoryBound(to: UInt8.self), r)
    }

    /// The index of the LF ending the line at `from`, or `limit`.
    static func endOfLine(_ b: UnsafeRawBufferPointer, from: Int, limit: Int) -> Int {
        var i = from
        while i < limit, b[i] != lf { i += 1 }
        return i
    }

    /// Where the request line ending in the version token at `i` starts:
    /// back over the space, the Request-URI, the space, and the method's
    /// capital letters (every registered SIP method is written in them).
    private static func requestStart(_ b: UnsafeRawBufferPointer, versionAt i: Int, floor: Int) -> Int? {
        var j = i - 1
        guard j > floor, b[j] == 0x20 else { return nil }
        j -= 1
        while j >= floor, b[j] != 0x20, i - j < 2048 { j -= 1 }
        guard j > floor, b[j] == 0x20 else { return nil }
        var m = j
        while m > floor, b[m - 1] >= 0x41, b[m - 1] <= 0x5A, j - m < 32 { m -= 1 }
        return m < j ? m : nil
    }

    private static func startOfLine(_ b: UnsafeRawBufferPointer, before i: Int, floor: Int) -> Int {
        var j = i
        while j > floor, b[j - 1] != lf { j -= 1 }
        return j
    }

    private static func isVersion(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        // "SIP/2.0", case-insensitive in the letters (RFC 3261 7.1).
        b[i + 1] | 0x20 == UInt8(ascii: "i") && b[i + 2] | 0x20 == UInt8(ascii: "p") && b[i + 3] == UInt8(ascii: "/")
            && b[i + 4] == UInt8(ascii: "2") && b[i + 5] == UInt8(ascii: ".") && b[i + 6] == UInt8(ascii: "0")
    }

    private static func lengthValue(_ b: UnsafeRawBufferPointer, _ line: Range<Int>) -> BodyLength? {
        var i = line.lowerBound
        let name = "content-length".utf8
        var matched = 0
        for expected in name {
            guard i < line.upperBound, b[i] | 0x20 == expected else { break }
            matched += 1
            i += 1
        }
        if matched != name.count {
            // The compact form is the single letter `l`.
            guard matched == 0, i < line.upperBound, b[i] | 0x20 == UInt8(ascii: "l") else { return nil }
            i += 1
        }
        while i < line.upperBound, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        guard i < line.upperBound, b[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        while i < line.upperBound, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        var value = 0, digits = 0
        while i < line.upperBound, b[i] >= 0x30, b[i] <= 0x39 {
            value = value * 10 + Int(b[i] - 0x30)
            digits += 1
            guard digits <= 9 else { return .invalid }
            i += 1
        }
        while i < line.upperBound, b[i] == 0x20 || b[i] == 0x09 || b[i] == cr { i += 1 }
        return digits > 0 && i == line.upperBound ? .length(value) : .invalid
    }
}
