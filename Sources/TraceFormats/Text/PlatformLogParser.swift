import SIPCore

/// Recognises the platform log lines a console paste carries between the
/// SIP messages (see `PlatformLogLine`) and reads what they name. Every
/// reader's line classifier runs it first, so it rejects a line on its
/// first byte when it can: headers and SDP start with a letter, log lines
/// with `[` (Asterisk), a digit (FreeSWITCH's date or session UUID,
/// Kamailio's process number) or spaces before one.
enum PlatformLogParser {
    static func parse(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, line: Int) -> PlatformLogLine? {
        // Most lines are turned down on their first bytes before any trim
        // (the same tests as below, where no blank comes first).
        if let b = r.first.map({ buf[$0] }), (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) {
            guard isHex(b), r.count > 36, buf[r.lowerBound + 8] == UInt8(ascii: "-"), buf[r.lowerBound + 13] == UInt8(ascii: "-") else { return nil }
        }
        let t = ByteText.trimmed(buf, r)
        guard t.count > 8, let first = t.first.map({ buf[$0] }) else { return nil }
        if first == UInt8(ascii: "[") { return asterisk(buf, t, line: line) }
        if TraceClock.isDigit(first) { return kamailio(buf, t, line: line) ?? freeswitch(buf, t, line: line) }
        // A line that starts with a letter (`Call-ID:`, `Contact:`, `a=`
        // are half the lines of a message) can only be FreeSWITCH's with
        // a session UUID first: dashes at 8 and 13 say whether to look.
        guard isHex(first), t.count > 36, buf[t.lowerBound + 8] == UInt8(ascii: "-"), buf[t.lowerBound + 13] == UInt8(ascii: "-") else { return nil }
        return freeswitch(buf, t, line: line)
    }

    // MARK: - Asterisk

    /// `[Nov 24 02:13:07] WARNING[12345][C-00000042]: chan_pjsip.c:2410 func: text`.
    static func asterisk(_ buf: UnsafeBufferPointer<UInt8>, _ t: Range<Int>, line: Int) -> PlatformLogLine? {
        var s = FieldScanner(buf, t)
        guard let close = s.find("]") else { return nil }
        s.position = close + 1
        s.skipSpaces()
        let level: PlatformLogLine.Level
        if s.take("ERROR[") { level = .error } else if s.take("WARNING[") { level = .warning } else if s.take("NOTICE[") { level = .notice } else { return nil }
        // The thread, then perhaps the call id: `12345]` or `12345][C-00000042]`.
        guard let threadEnd = s.find("]") else { return nil }
        s.position = threadEnd + 1
        var channel: String?
        if s.take("[") {
            guard let idEnd = s.find("]") else { return nil }
            channel = s.string(s.position..<idEnd)
            s.position = idEnd + 1
        }
        guard s.take(":") else { return nil }
        s.skipSpaces()
        let text = s.string(s.rest)
        return PlatformLogLine(platform: .asterisk, level: level, time: PJSIPReader.timestamp(buf, t.lowerBound..<(close + 1)),
                               text: text, line: line, callID: quotedCallID(text),
                               channel: channel ?? token(in: text, startingWith: ["PJSIP/", "SIP/"]))
    }

    // MARK: - FreeSWITCH

    /// `[uuid ]2026-11-24 02:13:07.123456 [97.87% ][NOTICE] file.c:123 text`.
    static func freeswitch(_ buf: UnsafeBufferPointer<UInt8>, _ t: Range<Int>, line: Int) -> PlatformLogLine? {
        var s = FieldScanner(buf, t)
        guard var field = s.field() else { return nil }
        var session: String?
        if isUUID(buf, field) {
            session = s.string(field)
            guard let next = s.field() else { return nil }
            field = next
        }
        guard TraceClock.date(buf, field) != nil, let clock = s.field(), let time = TraceClock.timeOfDay(buf, clock),
              var levelField = s.field() else { return nil }
        if ByteText.hasSuffix(buf, levelField, "%") {
            guard let next = s.field() else { return nil }
            levelField = next
        }
        let level: PlatformLogLine.Level
        switch s.string(levelField) {
        case "[ERR]", "[CRIT]", "[ALERT]": level = .error
        case "[WARNING]": level = .warning
        case "[NOTICE]": level = .notice
        default: return nil
        }
        s.skipSpaces()
        let text = s.string(s.rest)
        // FreeSWITCH logs the time of day like its siptrace does; the date
        // is left out so the two can be compared.
        return PlatformLogLine(platform: .freeswitch, level: level, time: time, text: text, line: line,
                               callID: quotedCallID(text), channel: session ?? token(in: text, startingWith: ["sofia/"]),
                               hangupCause: hangupCause(text))
    }

    /// `Hangup sofia/internal/1001@10.0.0.5 [CS_CONSUME_MEDIA] [INCOMPATIBLE_DESTINATION]`:
    /// the last bracketed word of a hangup line.
    static func hangupCause(_ text: String) -> String? {
        guard text.contains("Hangup "), text.hasSuffix("]"), let open = text.lastIndex(of: "[") else { return nil }
        let cause = text[text.index(after: open)..<text.index(before: text.endIndex)]
        guard !cause.isEmpty, cause.allSatisfy({ $0.isUppercase || $0 == "_" || $0.isNumber }) else { return nil }
        return String(cause)
    }

    // MARK: - Kamailio

    /// ` 0(12345) ERROR: rtpengine [rtpengine.c:2674]: rtpp_function_call(): no available proxies`.
    static func kamailio(_ buf: UnsafeBufferPointer<UInt8>, _ t: Range<Int>, line: Int) -> PlatformLogLine? {
        var i = t.lowerBound
        while i < t.upperBound, TraceClock.isDigit(buf[i]) { i += 1 }
        guard i > t.lowerBound, i < t.upperBound, buf[i] == UInt8(ascii: "(") else { return nil }
        i += 1
        let pid = i
        while i < t.upperBound, TraceClock.isDigit(buf[i]) { i += 1 }
        guard i > pid, i < t.upperBound, buf[i] == UInt8(ascii: ")") else { return nil }
        var s = FieldScanner(buf, (i + 1)..<t.upperBound)
        s.skipSpaces()
        let level: PlatformLogLine.Level
        if s.take("ERROR:") || s.take("CRITICAL:") || s.take("ALERT:") || s.take("BUG:") { level = .error }
        else if s.take("WARNING:") { level = .warning }
        else if s.take("NOTICE:") { level = .notice }
        else { return nil }
        s.skipSpaces()
        let text = s.string(s.rest)
        return PlatformLogLine(platform: .kamailio, level: level, time: nil, text: text, line: line, callID: quotedCallID(text))
    }

    // MARK: - What a line names

    /// The Call-ID a line quotes: `callid: abc@host`, `Call-ID=abc`,
    /// `(callid: abc)`.
    static func quotedCallID(_ text: String) -> String? {
        let lower = text.lowercased()
        for key in ["callid", "call-id", "call_id"] {
            guard let k = lower.range(of: key) else { continue }
            var rest = text[k.upperBound...].drop { $0 == " " }
            guard let sep = rest.first, sep == ":" || sep == "=" else { continue }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "'" || $0 == "\"" || $0 == "<" }
            let id = rest.prefix { !" ),;'\"]}>".contains($0) }
            if id.count >= 3 { return String(id) }
        }
        return nil
    }

    /// The first word of `text` that starts with one of `prefixes`
    /// (`PJSIP/1001-00000003`, `sofia/internal/1001@10.0.0.5`).
    static func token(in text: String, startingWith prefixes: [String]) -> String? {
        for word in text.split(whereSeparator: { $0 == " " || $0 == "'" || $0 == "\"" || $0 == "," }) {
            var w = word.drop { $0 == "(" || $0 == "<" }
            while let last = w.last, ":);>".contains(last) { w = w.dropLast() }
            if w.count > 6, prefixes.contains(where: { w.hasPrefix($0) }) { return String(w) }
        }
        return nil
    }

    static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
    }

    /// `6d4f4a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6`: FreeSWITCH's session UUID prefix.
    static func isUUID(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        guard r.count == 36 else { return false }
        for (k, i) in r.enumerated() {
            let b = buf[i]
            if k == 8 || k == 13 || k == 18 || k == 23 {
                guard b == UInt8(ascii: "-") else { return false }
            } else {
                guard TraceClock.isDigit(b) || isHex(b) else { return false }
            }
        }
        return true
    }
}

/// Collects the platform log lines of one read, counting lines as the
/// slicer hands them over (every line, in order), so a line knows where
/// it sits among the messages.
struct PlatformLogCollector {
    private(set) var lines: [PlatformLogLine] = []
    private var lineNumber = 0

    /// True when the line is a platform log line: it is kept, and ends
    /// whatever message came before it.
    mutating func take(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        lineNumber += 1
        guard let l = PlatformLogParser.parse(buf, r, line: lineNumber) else { return false }
        lines.append(l)
        return true
    }

    /// Lines a reader passed over without `take`, none of them a log line
    /// (`PlainLines`): counted, so later lines keep their numbers.
    mutating func pass(_ count: Int) { lineNumber += count }
}
