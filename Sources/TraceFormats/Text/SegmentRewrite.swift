import SIPCore

/// Turns a message a format decorated back into plain SIP text, line by
/// line, into a fresh buffer (the readers that need it are not the bulk
/// formats, so the copy is cheap).
enum SegmentRewrite {
    /// Drops up to `width` leading spaces from each line: FreeSWITCH
    /// indents every line of the message by three, which the parser would
    /// otherwise take for header folding.
    static func dedent(_ width: Int) -> (UnsafeBufferPointer<UInt8>, Range<Int>) -> [UInt8] {
        { buf, range in
            var out: [UInt8] = []
            out.reserveCapacity(range.count)
            var cursor = LineCursor(UnsafeBufferPointer(rebasing: buf[range]))
            let base = range.lowerBound
            while let l = cursor.next() {
                var lo = base + l.lowerBound
                let hi = base + l.upperBound
                var n = 0
                while lo < hi, n < width, buf[lo] == 0x20 { lo += 1; n += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[lo..<hi]))
                out.append(contentsOf: [0x0D, 0x0A])
            }
            return out
        }
    }

    /// ngrep prints CR and LF as `.`: in single-line mode every CRLF is
    /// `..`; in `-W byline` mode each line keeps a `.` for its CR.
    static func ngrep(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        var cursor = LineCursor(UnsafeBufferPointer(rebasing: buf[range]))
        let base = range.lowerBound
        guard let first = cursor.next() else { return [] }
        let firstLine = ByteText.trimmed(buf, (base + first.lowerBound)..<(base + first.upperBound))
        var out: [UInt8] = []
        out.reserveCapacity(range.count + 64)
        if singleLineCut(buf, firstLine) != nil {
            // Single-line form: the whole message is on this line (and
            // perhaps wrapped onto the next ones); `..` is a line break.
            var lines = LineCursor(UnsafeBufferPointer(rebasing: buf[range]))
            while let l = lines.next() {
                var i = base + l.lowerBound
                let hi = base + l.upperBound
                while i < hi {
                    if buf[i] == UInt8(ascii: "."), i + 1 < hi, buf[i + 1] == UInt8(ascii: ".") {
                        out.append(contentsOf: [0x0D, 0x0A]); i += 2
                    } else {
                        out.append(buf[i]); i += 1
                    }
                }
            }
            return out
        }
        let byline = firstLine.count > 0 && buf[firstLine.upperBound - 1] == UInt8(ascii: ".")
        var lines = LineCursor(UnsafeBufferPointer(rebasing: buf[range]))
        while let l = lines.next() {
            var r = ByteText.trimmedTrailing(buf, (base + l.lowerBound)..<(base + l.upperBound))
            if byline, !r.isEmpty, buf[r.upperBound - 1] == UInt8(ascii: ".") { r = r.lowerBound..<(r.upperBound - 1) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[r]))
            out.append(contentsOf: [0x0D, 0x0A])
        }
        return out
    }

    /// Where the start line ends in ngrep's single-line form
    /// (`INVITE sip:x SIP/2.0..Via: ...`), or nil when the line is not one.
    static func singleLineCut(_ buf: UnsafeBufferPointer<UInt8>, _ t: Range<Int>) -> Int? {
        var i = t.lowerBound
        while i + 1 < t.upperBound {
            if buf[i] == UInt8(ascii: "."), buf[i + 1] == UInt8(ascii: ".") {
                return SIPParser.isStartLine(buf, t.lowerBound..<i) ? i : nil
            }
            i += 1
        }
        return nil
    }

    /// A start line as ngrep shows it: plain, with byline's trailing `.`,
    /// or the head of the single-line form.
    static func isNgrepStartLine(_ buf: UnsafeBufferPointer<UInt8>, _ t: Range<Int>) -> Bool {
        if SIPParser.isStartLine(buf, t) { return true }
        guard t.count > 1 else { return false }
        if buf[t.upperBound - 1] == UInt8(ascii: "."), SIPParser.isStartLine(buf, t.lowerBound..<(t.upperBound - 1)) { return true }
        return singleLineCut(buf, t) != nil
    }
}
