import SIPCore

/// SIP messages one after another, as pasted into tickets and chats:
/// blank lines between them or not, Content-Length or not, any line
/// endings. Every start line begins a message, so a lying Content-Length
/// cannot swallow the next one. The text has no addresses or times, and
/// none are made up.
public enum RawSIPReader: TraceReader {
    public static let format = TraceFormat.rawSIP

    public static func confidence(_ head: UnsafeBufferPointer<UInt8>) -> Double {
        var cursor = LineCursor(head)
        var starts = 0, firstIsStart = false, seenContent = false, lines = 0
        while let r = cursor.next(), lines < 5_000 {
            lines += 1
            let t = ByteText.trimmed(head, r)
            if t.isEmpty { continue }
            if SIPParser.isStartLine(head, t) {
                starts += 1
                if !seenContent { firstIsStart = true }
            }
            seenContent = true
        }
        guard starts > 0 else { return 0 }
        // Lower than any format with headings: raw is what is left when
        // nothing more specific explains the text.
        return firstIsStart ? 0.5 : 0.35
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, keeping filter: CallFilter?) throws(TraceError) -> Trace {
        try read(bytes, keeping: filter, lineByLine: false)
    }

    /// `lineByLine` looks at every line and parses every candidate the
    /// filter finds in its message: the plain way, which tests hold the
    /// fast one to.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, keeping filter: CallFilter?, lineByLine: Bool) throws(TraceError) -> Trace {
        var warnings: [String] = []
        var assembler = TraceAssembler(format: format, expectedBytes: bytes.count, filter: filter)
        var log = PlatformLogCollector()
        slice(bytes, firstLine: 0, into: &assembler, log: &log, warnings: &warnings, lineByLine: lineByLine)
        return try assembler.finish(readerWarnings: warnings, platformLog: log.lines)
    }

    /// Cuts `bytes` into messages for `assembler`; returns the last line's
    /// number. A console paste (Kamailio's, say) carries the platform's log
    /// lines between the messages: `log` keeps them, and each ends the
    /// message above. The same `log` must see every line, in order.
    @discardableResult
    static func slice(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, into assembler: inout TraceAssembler,
                      log: inout PlatformLogCollector, warnings: inout [String], lineByLine: Bool = false) -> Int {
        // Header and SDP lines are passed over in runs (`PlainLines`), and
        // the needles of a filtered read searched for in the whole of
        // `bytes` once (`NeedleHits`): a message without a hit is counted,
        // not looked at.
        var slicer = MessageSlicer(splitAtStartLines: true)
        slicer.skipsPlainLines = !lineByLine
        var hits = NeedleHits()
        return slicer.slice(bytes, firstLine: firstLine, warnings: &warnings, classify: { buf, r in
            log.take(buf, r) ? .end : .content
        }, passed: { log.pass($0) }) {
            if lineByLine { assembler.add(bytes, $0) } else { assembler.add(bytes, $0, hits: &hits) }
        }
    }
}
