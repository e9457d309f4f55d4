import SIPCore

/// Walks the space-separated fields of one heading line.
struct FieldScanner {
    let buf: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int

    init(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
        self.buf = buf
        self.position = r.lowerBound
        self.end = r.upperBound
    }

    var isAtEnd: Bool { position >= end }
    var rest: Range<Int> { position..<end }

    mutating func skipSpaces() {
        while position < end, ByteText.isSpace(buf[position]) || buf[position] == 0x0D { position += 1 }
    }

    /// The next run of non-space bytes.
    mutating func field() -> Range<Int>? {
        skipSpaces()
        let start = position
        while position < end, !ByteText.isSpace(buf[position]) { position += 1 }
        return start < position ? start..<position : nil
    }

    /// Consumes `literal` if the text continues with it.
    mutating func take(_ literal: StaticString) -> Bool {
        guard ByteText.hasPrefix(buf, position..<end, literal) else { return false }
        position += literal.utf8CodeUnitCount
        return true
    }

    /// Position of `literal` at or after the current position.
    func find(_ literal: StaticString) -> Int? {
        let n = literal.utf8CodeUnitCount
        guard n > 0, end - position >= n else { return nil }
        let p = literal.utf8Start
        var i = position
        while i + n <= end {
            if buf[i] == p[0] {
                var k = 1
                while k < n, buf[i + k] == p[k] { k += 1 }
                if k == n { return i }
            }
            i += 1
        }
        return nil
    }

    func string(_ r: Range<Int>) -> String { ByteText.string(buf, r) }

    /// `ip:port`, `[v6]:port`, or a bare host, as an endpoint.
    func endpoint(_ r: Range<Int>) -> Endpoint? { Endpoint(string(r)) }

    /// A field that names an address rather than a role: starts with a
    /// digit or `[`, as `10.0.0.5:5060` and `[2001:db8::1]:5060` do.
    func looksLikeAddress(_ r: Range<Int>) -> Bool {
        guard let b = r.first.map({ buf[$0] }) else { return false }
        return TraceClock.isDigit(b) || b == UInt8(ascii: "[")
    }

    /// `-> `, `--> ` or `→`: the arrow between source and destination.
    mutating func takeArrow() -> Bool {
        skipSpaces()
        if take("->") || take("-->") || take("\u{2192}") { return true }
        return false
    }
}
