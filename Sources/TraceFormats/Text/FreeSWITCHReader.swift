import SIPCore

/// FreeSWITCH `sofia global siptrace on` (sofia-sip's tport_log_msg):
/// `recv 812 bytes from udp/[203.0.113.9]:5060 at 02:13:07.123456:` or
/// `send 512 bytes to udp/[...]:5060 at ...:`, a dashed rule, the message
/// with every line indented by three spaces, a dashed rule. Only the remote
/// side is printed; FreeSWITCH's own side is labelled, not invented. The
/// time is UTC time of day (the stamp has no date).
public enum FreeSWITCHReader: TraceReader {
    public static let format = TraceFormat.freeswitch
    static let localLabel = "FREESWITCH"

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
            return isRule(buf, r) || isTruncationNote(buf, r) ? .end : .content
        }) { assembler.add(bytes, $0, rewrite: SegmentRewrite.dedent(3)) }
        return try assembler.finish(readerWarnings: warnings, platformLog: log.lines)
    }

    static func isRule(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        let t = ByteText.trimmed(buf, r)
        guard t.count >= 10 else { return false }
        for i in t where buf[i] != UInt8(ascii: "-") { return false }
        return true
    }

    /// `*** message truncated at 2047 ***`: sofia cut the message; what came
    /// before is still worth reading.
    static func isTruncationNote(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        ByteText.hasPrefix(buf, ByteText.trimmed(buf, r), "*** message truncated")
    }

    static func heading(_ buf: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> MessageHeading? {
        guard line.count > 30 else { return nil }
        var s = FieldScanner(buf, line)
        s.skipSpaces()
        let received: Bool
        if s.take("recv ") { received = true } else if s.take("send ") { received = false } else { return nil }
        guard let size = s.field(), TraceClock.isDigit(buf[size.lowerBound]),
              let bytesWord = s.field(), ByteText.hasPrefix(buf, bytesWord, "bytes"),
              let via = s.field(), ByteText.hasPrefix(buf, via, received ? "from" : "to"),
              let address = s.field(), s.take(" at ") || s.take("at "),
              let stamp = s.field() else { return nil }
        // `udp/[203.0.113.9]:5060`, perhaps with `/flowlabel` or `;comp=sigcomp` after the port.
        guard let slash = ByteText.firstIndex(of: UInt8(ascii: "/"), in: buf, address),
              let open = ByteText.firstIndex(of: UInt8(ascii: "["), in: buf, slash..<address.upperBound),
              let close = ByteText.firstIndex(of: UInt8(ascii: "]"), in: buf, open..<address.upperBound) else { return nil }
        let host = s.string((open + 1)..<close)
        var port: Int? = nil
        var i = close + 1
        if i < address.upperBound, buf[i] == UInt8(ascii: ":") {
            i += 1
            var v = 0, n = 0
            while i < address.upperBound, TraceClock.isDigit(buf[i]), n < 6 { v = v * 10 + Int(buf[i] - 0x30); i += 1; n += 1 }
            if n > 0 { port = v }
        }
        var stampEnd = stamp.upperBound
        if stampEnd > stamp.lowerBound, buf[stampEnd - 1] == UInt8(ascii: ":") { stampEnd -= 1 }
        let remote = Endpoint(host: host, port: port)
        let h = MessageHeading(timestamp: TraceClock.timeOfDay(buf, stamp.lowerBound..<stampEnd),
                               transport: s.string(address.lowerBound..<slash).uppercased())
        if received {
            h.source = remote
            h.destinationLabel = localLabel
        } else {
            h.destination = remote
            h.sourceLabel = localLabel
        }
        return h
    }
}
