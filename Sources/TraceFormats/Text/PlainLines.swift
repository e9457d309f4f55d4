/// Lines of a raw SIP trace that a read can pass over in bulk: a line that
/// starts with a letter and cannot be a start line or a platform log line
/// is, wherever it lies, one more content line of the message above (or a
/// stray line where no message is open). Most lines are such header and
/// SDP lines: `Via:`, `From:`, `Contact:`, `a=rtpmap:`... Only the others
/// (start lines, blank lines, log lines, narration) need a look of their
/// own, so a read finds the next of them 16 bytes at a time and counts the
/// lines on the way, instead of splitting every line.
///
/// What a line's first bytes must be for it to be plain, by what the
/// readers test (`SIPParser.startLineShape`, `PlatformLogParser.parse`,
/// `MessageSlicer.isNarrative`):
/// - a letter: blank lines, indented lines, `(` narration, `[` and digit
///   log lines all start otherwise;
/// - not `S` then `I` in either case (`SIP/2.0 200 OK`);
/// - not an upper-case letter followed by a space, or by a method byte
///   (upper case, `-`, `_`; for a cheaper test, any byte from `-` to `_`)
///   and then another or a space (`INVITE sip:`, `AB sip:`); `CSeq`,
///   `Via`, `Call-ID` pass;
/// - not a hex letter with `-` eight bytes on (a FreeSWITCH session UUID).
enum PlainLines {
    /// A run of plain lines: `lines` of them end before `next`, the start
    /// of the next line that is not plain (or the end of the buffer); the
    /// last of them ends (its content, without the line end) at `lastEnd`.
    struct Run: Equatable {
        var next: Int
        var lines: Int
        var lastEnd: Int
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    /// `-` (0x2D) to `_` (0x5F): the method bytes (upper case, `-`, `_`)
    /// and others, so that the 16-byte test needs two steps for it.
    @inline(__always) static func isMethodLike(_ b: UInt8) -> Bool { b &- 0x2D < 0x33 }

    /// Whether the line starting at `p` (a line start) is plain; the bytes
    /// it looks at past the buffer's end count as a line end.
    static func isPlain(_ buf: UnsafeBufferPointer<UInt8>, at p: Int) -> Bool {
        let n = buf.count
        let b0 = buf[p]
        guard isLetter(b0) else { return false }
        let b1: UInt8 = p + 1 < n ? buf[p + 1] : 0x0A
        let b2: UInt8 = p + 2 < n ? buf[p + 2] : 0x0A
        if b0 | 0x20 == UInt8(ascii: "s"), b1 | 0x20 == UInt8(ascii: "i") { return false }
        if isUpper(b0), b1 == 0x20 || (isMethodLike(b1) && (isMethodLike(b2) || b2 == 0x20)) { return false }
        if (b0 | 0x20) &- 0x61 < 6, p + 8 < n, buf[p + 8] == UInt8(ascii: "-") { return false }
        return true
    }

    /// Whether a line ends at `j`: a line feed, or a carriage return not
    /// followed by one (`LineCursor`'s line ends; CR LF ends at its LF).
    @inline(__always) static func isLineEnd(_ buf: UnsafeBufferPointer<UInt8>, _ j: Int) -> Bool {
        buf[j] == 0x0A || (buf[j] == 0x0D && (j + 1 == buf.count || buf[j + 1] != 0x0A))
    }

    /// The run of plain lines from `from`, a line start whose line is plain.
    /// Lines are counted by their starts: every line end before the run's
    /// end is followed by a line start up to and including it.
    static func run(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Run {
        let n = buf.count
        var lines = 0
        var i = from + 1
        if let base = buf.baseAddress {
            let raw = UnsafeRawPointer(base)
            let lf = SIMD16<UInt8>(repeating: 0x0A), cr = SIMD16<UInt8>(repeating: 0x0D)
            let space = SIMD16<UInt8>(repeating: 0x20), dash = SIMD16<UInt8>(repeating: 0x2D)
            let caseBit = SIMD16<UInt8>(repeating: 0x20), a = SIMD16<UInt8>(repeating: 0x61), upperA = SIMD16<UInt8>(repeating: 0x41)
            let letters = SIMD16<UInt8>(repeating: 26), hexLetters = SIMD16<UInt8>(repeating: 6)
            let methodLike = SIMD16<UInt8>(repeating: 0x33)
            let s = SIMD16<UInt8>(repeating: UInt8(ascii: "s")), iLetter = SIMD16<UInt8>(repeating: UInt8(ascii: "i"))
            let one = SIMD16<UInt8>(repeating: 1), zero = SIMD16<UInt8>(repeating: 0)
            // Line starts counted per lane, added up every 255 blocks
            // (before a lane can overflow) and where the run stops.
            var starts = zero
            var blocks = 0
            // Blocks of 16 positions, i...i+15, reading bytes i-1 to i+23
            // (the byte before, the two after, the one eight on).
            while i + 24 <= n {
                let prev = raw.loadUnaligned(fromByteOffset: i - 1, as: SIMD16<UInt8>.self)
                let c = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                let c1 = raw.loadUnaligned(fromByteOffset: i + 1, as: SIMD16<UInt8>.self)
                let c2 = raw.loadUnaligned(fromByteOffset: i + 2, as: SIMD16<UInt8>.self)
                let c8 = raw.loadUnaligned(fromByteOffset: i + 8, as: SIMD16<UInt8>.self)
                let start = (prev .== lf) .| ((prev .== cr) .& (c .!= lf))
                // Most blocks lie inside lines: only the line starts count.
                let startBits = LaneBits(start)
                if startBits.isEmpty {
                    i += 16
                    continue
                }
                let lower = c | caseBit
                var special = .!((lower &- a) .< letters)
                special .|= (lower .== s) .& ((c1 | caseBit) .== iLetter)
                let method1 = (c1 &- dash) .< methodLike
                let method2 = ((c2 &- dash) .< methodLike) .| (c2 .== space)
                special .|= ((c &- upperA) .< letters) .& ((c1 .== space) .| (method1 .& method2))
                special .|= ((lower &- a) .< hexLetters) .& (c8 .== dash)
                if let k = LaneBits(start .& special).first {
                    lines += Int(SIMD16<UInt16>(truncatingIfNeeded: starts).wrappedSum())
                    for j in i...(i + k) where isLineEnd(buf, j - 1) { lines += 1 }
                    return finish(buf, next: i + k, lines: lines)
                }
                starts &+= zero.replacing(with: one, where: start)
                blocks += 1
                if blocks == 255 {
                    lines += Int(SIMD16<UInt16>(truncatingIfNeeded: starts).wrappedSum())
                    starts = zero
                    blocks = 0
                }
                i += 16
            }
            lines += Int(SIMD16<UInt16>(truncatingIfNeeded: starts).wrappedSum())
        }
        // The buffer's last bytes one at a time.
        while i < n {
            if isLineEnd(buf, i - 1) {
                lines += 1
                if !isPlain(buf, at: i) { return finish(buf, next: i, lines: lines) }
            }
            i += 1
        }
        if isLineEnd(buf, n - 1) { lines += 1 }
        return finish(buf, next: n, lines: lines)
    }

    /// The run ending at `next` with `lines` line ends before it; a last
    /// line with no line end (the buffer's) is one more.
    private static func finish(_ buf: UnsafeBufferPointer<UInt8>, next: Int, lines: Int) -> Run {
        if next == buf.count, !isLineEnd(buf, next - 1) { return Run(next: next, lines: lines + 1, lastEnd: next) }
        // `next` follows a line end: LF, CR, or CR LF.
        var end = next - 1
        if buf[end] == 0x0A, end > 0, buf[end - 1] == 0x0D { end -= 1 }
        return Run(next: next, lines: lines, lastEnd: end)
    }
}
