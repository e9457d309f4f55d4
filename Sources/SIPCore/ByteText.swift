#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level text primitives for the parsers: lines, trimming, matching.
/// Everything works on ranges of one buffer so that no line is copied
/// until it becomes a value.
public enum ByteText {
    @inline(__always) public static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    public static func isBlank(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        for i in r where !isSpace(buf[i]) && buf[i] != 0x0D { return false }
        return true
    }

    public static func trimmed(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, isSpace(buf[lo]) || buf[lo] == 0x0D { lo += 1 }
        while hi > lo, isSpace(buf[hi - 1]) || buf[hi - 1] == 0x0D { hi -= 1 }
        return lo..<hi
    }

    public static func trimmedTrailing(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var hi = r.upperBound
        while hi > r.lowerBound, isSpace(buf[hi - 1]) || buf[hi - 1] == 0x0D { hi -= 1 }
        return r.lowerBound..<hi
    }

    public static func string(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self)
    }

    public static func firstIndex(of byte: UInt8, in buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        var i = r.lowerBound
        while i < r.upperBound { if buf[i] == byte { return i }; i += 1 }
        return nil
    }

    public static func hasPrefix(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard r.count >= n else { return false }
        let p = prefix.utf8Start
        for k in 0..<n where buf[r.lowerBound + k] != p[k] { return false }
        return true
    }

    public static func hasSuffix(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard r.count >= n else { return false }
        let p = suffix.utf8Start
        let base = r.upperBound - n
        for k in 0..<n where buf[base + k] != p[k] { return false }
        return true
    }

    /// Case-insensitive ASCII prefix test.
    public static func hasPrefixIgnoringCase(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard r.count >= n else { return false }
        let p = prefix.utf8Start
        for k in 0..<n where lower(buf[r.lowerBound + k]) != lower(p[k]) { return false }
        return true
    }

    /// Case-insensitive ASCII suffix test.
    public static func hasSuffixIgnoringCase(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard r.count >= n else { return false }
        let p = suffix.utf8Start
        let base = r.upperBound - n
        for k in 0..<n where lower(buf[base + k]) != lower(p[k]) { return false }
        return true
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    @inline(__always) static func isMethodByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }

    /// RFC 3261 token characters, which a header name must be made of.
    static func isToken(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        for i in r {
            let b = buf[i]
            let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2D || b == 0x2E || b == 0x21 || b == 0x25 || b == 0x2A || b == 0x5F
                || b == 0x2B || b == 0x60 || b == 0x27 || b == 0x7E
            if !ok { return false }
        }
        return true
    }

    /// `...` or `…` standing alone: lines a person removed from the paste.
    static func isElision(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        guard !r.isEmpty else { return false }
        if r.count == 3, buf[r.lowerBound] == 0xE2, buf[r.lowerBound + 1] == 0x80, buf[r.lowerBound + 2] == 0xA6 { return true }
        guard r.count >= 2 else { return false }
        for i in r where buf[i] != UInt8(ascii: ".") { return false }
        return true
    }

    /// Cuts a trailing ` <-- note` (whitespace before `<--` is required so
    /// that a URI in angle brackets is never mistaken for one).
    public static func strippingAnnotation(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        guard let base = buf.baseAddress else { return r }
        var i = r.lowerBound
        // memchr to each `<`: every line of every message is looked at.
        while i + 2 < r.upperBound, let hit = memchr(base + i, Int32(UInt8(ascii: "<")), r.upperBound - 2 - i) {
            i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            if buf[i + 1] == UInt8(ascii: "-"), buf[i + 2] == UInt8(ascii: "-"),
               i == r.lowerBound || isSpace(buf[i - 1]) {
                return trimmedTrailing(buf, r.lowerBound..<i)
            }
            i += 1
        }
        return r
    }
}

/// Iterates the lines of a buffer; a line ends at CRLF, LF or a lone CR
/// (pasted traces mangle line endings in every way).
public struct LineCursor {
    let buf: UnsafeBufferPointer<UInt8>
    public private(set) var position: Int

    public init(_ buf: UnsafeBufferPointer<UInt8>, from start: Int = 0) {
        self.buf = buf
        self.position = start
    }

    /// The next line's content range, without its terminator.
    public mutating func next() -> Range<Int>? {
        guard position < buf.count else { return nil }
        let start = position
        var i = start
        let n = buf.count
        // Eight bytes at a time to the line's end (a header line is 30-80
        // bytes): a word's bytes equal to LF or CR, found the way strlen
        // finds a zero byte; the lowest one found is exact (a false one
        // can only sit above a true one), so it is the end.
        if let base = buf.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= n {
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let lf = x ^ (ones &* 0x0A), cr = x ^ (ones &* 0x0D)
                let found = ((lf &- ones) & ~lf | (cr &- ones) & ~cr) & highs
                if found != 0 {
                    i += found.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
        }
        while i < n {
            let b = buf[i]
            if b == 0x0A { position = i + 1; return start..<i }
            if b == 0x0D {
                position = (i + 1 < n && buf[i + 1] == 0x0A) ? i + 2 : i + 1
                return start..<i
            }
            i += 1
        }
        position = n
        return start..<n
    }
}
