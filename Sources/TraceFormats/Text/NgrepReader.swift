import SIPCore

/// ngrep and sipgrep: `U 2026/11/24 02:13:07.123456 10.0.0.5:5060 ->
/// 203.0.113.9:5060` above each packet (`T` for TCP, date and time only
/// with `-t`, TCP flags like `[AP]` after the addresses), `#` lines for
/// packets that did not match, and the payload either line by line or on
/// one line with `..` for each CRLF.
public enum NgrepReader: TraceReader {
    public static let format = TraceFormat.ngrep

    public static func confidence(_ head: UnsafeBufferPointer<UInt8>) -> Double {
        HeadingCount.confidence(head, heading: heading, startsMessage: SegmentRewrite.isNgrepStartLine)
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, keeping filter: CallFilter?) throws(TraceError) -> Trace {
        var warnings: [String] = []
        var slicer = MessageSlicer(splitAtStartLines: false)
        slicer.startsMessage = SegmentRewrite.isNgrepStartLine
        var assembler = TraceAssembler(format: format, expectedBytes: bytes.count, filter: filter)
        slicer.slice(bytes, warnings: &warnings, classify: { buf, r in
            if let h = heading(buf, r) { return .heading(h) }
            return isDecoration(buf, r) ? .ignore : .content
        }) { assembler.add(bytes, $0, rewrite: SegmentRewrite.ngrep) }
        return try assembler.finish(readerWarnings: warnings)
    }

    /// `####`, `interface: eth0 (...)`, `filter: ...`, `match: ...`, `exit`:
    /// ngrep's own chatter; ` [AP]` alone is sipgrep's TCP flags, printed on
    /// the line after the heading.
    static func isDecoration(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        let t = ByteText.trimmed(buf, r)
        guard let f = t.first else { return false }
        if buf[f] == UInt8(ascii: "#") {
            for i in t where buf[i] != UInt8(ascii: "#") { return false }
            return true
        }
        if buf[f] == UInt8(ascii: "["), t.count >= 3, t.count <= 10, buf[t.upperBound - 1] == UInt8(ascii: "]") {
            for i in (t.lowerBound + 1)..<(t.upperBound - 1) where !(buf[i] >= 0x41 && buf[i] <= 0x5A) { return false }
            return true
        }
        return ByteText.hasPrefix(buf, t, "interface: ") || ByteText.hasPrefix(buf, t, "filter: ")
            || ByteText.hasPrefix(buf, t, "match: ") || (t.count == 4 && ByteText.hasPrefix(buf, t, "exit"))
    }

    static func heading(_ buf: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> MessageHeading? {
        guard line.count > 10 else { return nil }
        let p = buf[line.lowerBound]
        guard p == UInt8(ascii: "U") || p == UInt8(ascii: "T") || p == UInt8(ascii: "I") || p == UInt8(ascii: "?") else { return nil }
        var s = FieldScanner(buf, line)
        s.position += 1
        // sipgrep's `-show_proto` prints the protocol number: `U(17)`.
        if s.take("(") {
            while !s.isAtEnd, TraceClock.isDigit(buf[s.position]) { s.position += 1 }
            guard s.take(")") else { return nil }
        }
        guard !s.isAtEnd, ByteText.isSpace(buf[s.position]) else { return nil }
        guard var first = s.field() else { return nil }
        var timestamp: Double? = nil
        if buf[first.lowerBound] == UInt8(ascii: "+") {
            // `-T`: time since the previous packet, which places nothing on a clock.
            guard let next = s.field() else { return nil }
            first = next
        } else if let day = TraceClock.date(buf, first) {
            guard let t = s.field(), let time = TraceClock.timeOfDay(buf, t) else { return nil }
            timestamp = day + time
            guard let next = s.field() else { return nil }
            first = next
        }
        guard s.looksLikeAddress(first), let source = s.endpoint(first), source.port != nil,
              s.takeArrow(), let to = s.field(), s.looksLikeAddress(to), let destination = s.endpoint(to) else { return nil }
        let h = MessageHeading(timestamp: timestamp, source: source, destination: destination,
                               transport: p == UInt8(ascii: "U") ? "UDP" : p == UInt8(ascii: "T") ? "TCP" : nil)
        // TCP flags (`[AP]`) and sipgrep's packet count (`#12`) may follow.
        s.skipSpaces()
        var save = s.position
        while let f = s.field() {
            let b = buf[f.lowerBound]
            guard b == UInt8(ascii: "[") || b == UInt8(ascii: "#") else { break }
            save = s.position
        }
        s.position = save
        s.skipSpaces()
        if !s.isAtEnd, SegmentRewrite.isNgrepStartLine(buf, ByteText.trimmed(buf, s.rest)) {
            h.inlinePayload = s.rest
        }
        return h
    }
}
