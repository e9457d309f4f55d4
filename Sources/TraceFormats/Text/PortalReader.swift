import SIPCore

/// Hand-annotated portal text: `[14:22:01.103] PHONE -> CORE` on its own
/// line above each message (a date may precede the time; either side may be
/// `ip:port` instead of a role), `...` for elided lines, ` <-- note` at line
/// ends and `(narration)` between messages.
public enum PortalReader: TraceReader {
    public static let format = TraceFormat.portal

    public static func confidence(_ head: UnsafeBufferPointer<UInt8>) -> Double {
        HeadingCount.confidence(head, heading: heading) { SIPParser.isStartLine($0, ByteText.strippingAnnotation($0, $1)) }
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, keeping filter: CallFilter?) throws(TraceError) -> Trace {
        var warnings: [String] = []
        var slicer = MessageSlicer(splitAtStartLines: false)
        slicer.startsMessage = { SIPParser.isStartLine($0, ByteText.strippingAnnotation($0, $1)) }
        var assembler = TraceAssembler(format: format, expectedBytes: bytes.count, filter: filter)
        slicer.slice(bytes, warnings: &warnings, classify: { buf, r in
            heading(buf, r).map(TraceLine.heading) ?? .content
        }) { assembler.add(bytes, $0) }
        return try assembler.finish(readerWarnings: warnings)
    }

    static func heading(_ buf: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> MessageHeading? {
        // Asked of every line: reject on the first byte before any scan.
        var lo = line.lowerBound
        while lo < line.upperBound, ByteText.isSpace(buf[lo]) { lo += 1 }
        guard lo < line.upperBound, buf[lo] == UInt8(ascii: "[") else { return nil }
        var s = FieldScanner(buf, ByteText.strippingAnnotation(buf, line))
        s.skipSpaces()
        guard s.take("["), let close = s.find("]") else { return nil }
        let stamp = FieldScanner(buf, s.position..<close)
        guard let timestamp = timestamp(stamp) else { return nil }
        s.position = close + 1
        guard let from = s.field(), s.takeArrow(), let to = s.field() else { return nil }
        s.skipSpaces()
        guard s.isAtEnd else { return nil }
        let h = MessageHeading(timestamp: timestamp)
        if s.looksLikeAddress(from), let e = s.endpoint(from) { h.source = e } else { h.sourceLabel = s.string(from) }
        if s.looksLikeAddress(to), let e = s.endpoint(to) { h.destination = e } else { h.destinationLabel = s.string(to) }
        return h
    }

    /// `14:22:01.103` (since midnight) or `2026-11-24 14:22:01.103` (since the epoch).
    private static func timestamp(_ stamp: FieldScanner) -> Double? {
        var s = stamp
        guard let first = s.field() else { return nil }
        if let second = s.field() {
            guard s.field() == nil, let day = TraceClock.date(s.buf, first),
                  let time = TraceClock.timeOfDay(s.buf, second) else { return nil }
            return day + time
        }
        return TraceClock.timeOfDay(s.buf, first)
    }
}
