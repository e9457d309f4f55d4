import SIPCore

/// Asterisk's `pjsip set logger on` (res_pjsip_logger): `<--- Received SIP
/// request (812 bytes) from UDP:203.0.113.9:5060 --->` or `<--- Transmitting
/// SIP response (512 bytes) to UDP:10.0.0.5:5060 --->`, then the packet. The
/// line names only the remote side; the other side is Asterisk itself,
/// whose address the log never prints, so it is labelled, not invented.
/// A log prefix (`[Nov 24 02:13:07] VERBOSE[123] res_pjsip_logger.c: `)
/// gives the time when present.
public enum PJSIPReader: TraceReader {
    public static let format = TraceFormat.pjsip
    static let localLabel = "ASTERISK"

    public static func confidence(_ head: UnsafeBufferPointer<UInt8>) -> Double {
        let c = HeadingCount.confidence(head, heading: heading)
        return c > 0 ? min(1, c + 0.05) : 0
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, keeping filter: CallFilter?) throws(TraceError) -> Trace {
        var warnings: [String] = []
        var assembler = TraceAssembler(format: format, expectedBytes: bytes.count, filter: filter)
        var log = PlatformLogCollector()
        MessageSlicer(splitAtStartLines: false).slice(bytes, warnings: &warnings, classify: { buf, r in
            if log.take(buf, r) { return .end }
            if let h = heading(buf, r) { return .heading(h) }
            return isLogLine(buf, r) ? .end : .content
        }) { assembler.add(bytes, $0) }
        return try assembler.finish(readerWarnings: warnings, platformLog: log.lines)
    }

    /// The next Asterisk log or console line ends the packet before it:
    /// `[Nov 24 ...`, `[2026-11-24 ...`, `    -- Executing`, `  == `, the CLI prompt.
    static func isLogLine(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        guard let f = r.first else { return false }
        let b = buf[f]
        if b == UInt8(ascii: "["), r.count > 2 {
            let c = buf[f + 1]
            return TraceClock.isDigit(c) || (c >= 0x41 && c <= 0x5A)
        }
        let t = ByteText.trimmed(buf, r)
        return ByteText.hasPrefix(buf, t, "-- ") || ByteText.hasPrefix(buf, t, "== ")
            || ByteText.hasPrefix(buf, t, "<--- ") || ByteText.firstIndex(of: UInt8(ascii: "*"), in: buf, t).map {
                ByteText.hasPrefix(buf, $0..<t.upperBound, "*CLI>")
            } == true
    }

    static func heading(_ buf: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> MessageHeading? {
        guard line.count > 30 else { return nil }
        var s = FieldScanner(buf, line)
        guard let marker = s.find("<--- ") else { return nil }
        let prefix = line.lowerBound..<marker
        s.position = marker + 5
        let received: Bool
        if s.take("Received SIP ") { received = true } else if s.take("Transmitting SIP ") { received = false } else { return nil }
        guard s.field() != nil, let size = s.field(), buf[size.lowerBound] == UInt8(ascii: "("),
              let bytesWord = s.field(), ByteText.hasPrefix(buf, bytesWord, "bytes"),
              let direction = s.field(), ByteText.hasPrefix(buf, direction, received ? "from" : "to"),
              let address = s.field() else { return nil }
        // `UDP:203.0.113.9:5060`, `TLS:[2001:db8::1]:5061`.
        guard let colon = ByteText.firstIndex(of: UInt8(ascii: ":"), in: buf, address) else { return nil }
        let transport = s.string(address.lowerBound..<colon).uppercased()
        let remote = s.endpoint((colon + 1)..<address.upperBound)
        let h = MessageHeading(timestamp: timestamp(buf, prefix), transport: transport.isEmpty ? nil : transport)
        if received {
            h.source = remote
            h.destinationLabel = localLabel
        } else {
            h.destination = remote
            h.sourceLabel = localLabel
        }
        return h
    }

    /// `[Nov 24 02:13:07]` (no year: time of day only) or
    /// `[2026-11-24 02:13:07.123]` (since the epoch).
    static func timestamp(_ buf: UnsafeBufferPointer<UInt8>, _ prefix: Range<Int>) -> Double? {
        var s = FieldScanner(buf, prefix)
        s.skipSpaces()
        guard s.take("["), let close = s.find("]") else { return nil }
        var inside = FieldScanner(buf, s.position..<close)
        guard let a = inside.field() else { return nil }
        if let day = TraceClock.date(buf, a) {
            guard let t = inside.field(), let time = TraceClock.timeOfDay(buf, t) else { return nil }
            return day + time
        }
        guard TraceClock.month(buf, a) != nil, inside.field() != nil,
              let t = inside.field(), let time = TraceClock.timeOfDay(buf, t) else { return nil }
        return time
    }
}
