import SIPCore

/// sngrep's "save as .txt": `2026/11/24 02:13:07.123456 10.0.0.5:5060 ->
/// 203.0.113.9:5060` above each message and a blank line after it (the
/// line sngrep's capture_output_txt writes: date, time, `ip:port -> ip:port`).
public enum SngrepReader: TraceReader {
    public static let format = TraceFormat.sngrep

    public static func confidence(_ head: UnsafeBufferPointer<UInt8>) -> Double {
        HeadingCount.confidence(head, heading: heading)
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, keeping filter: CallFilter?) throws(TraceError) -> Trace {
        var warnings: [String] = []
        var assembler = TraceAssembler(format: format, expectedBytes: bytes.count, filter: filter)
        MessageSlicer(splitAtStartLines: false).slice(bytes, warnings: &warnings, classify: { buf, r in
            heading(buf, r).map(TraceLine.heading) ?? .content
        }) { assembler.add(bytes, $0) }
        return try assembler.finish(readerWarnings: warnings)
    }

    static func heading(_ buf: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> MessageHeading? {
        guard line.count > 20, TraceClock.isDigit(buf[line.lowerBound]) else { return nil }
        var s = FieldScanner(buf, line)
        guard let d = s.field(), let day = TraceClock.date(buf, d),
              let t = s.field(), let time = TraceClock.timeOfDay(buf, t),
              let from = s.field(), s.takeArrow(), let to = s.field() else { return nil }
        s.skipSpaces()
        guard s.isAtEnd else { return nil }
        return MessageHeading(timestamp: day + time, source: endpoint(s, from), destination: endpoint(s, to))
    }

    /// sngrep prints `ip:port` with no brackets even for IPv6, so the port
    /// is whatever follows the last colon.
    private static func endpoint(_ s: FieldScanner, _ r: Range<Int>) -> Endpoint? {
        let text = s.string(r)
        if text.hasPrefix("[") { return Endpoint(text) }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            return Endpoint(text)
        }
        return Endpoint(host: String(text[..<colon]), port: port)
    }
}
