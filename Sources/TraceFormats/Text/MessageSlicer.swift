import SIPCore

/// Cuts a text trace into message segments in one pass over its lines.
///
/// Formats with headings (portal, ngrep, pjsip, ...) give each message its
/// heading; a start line inside a heading's message is body (a sipfrag), so
/// only headings cut there. Raw SIP has no headings, so every start line cuts.
struct MessageSlicer {
    var splitAtStartLines: Bool
    /// Accepts the start line of a message; formats that decorate lines
    /// (ngrep's `.` for CR) widen it.
    var startsMessage: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool = { SIPParser.isStartLine($0, $1) }
    /// Passes over runs of `PlainLines` without looking at each, for a
    /// classifier that calls every such line `.content` (raw SIP's).
    var skipsPlainLines = false

    /// Kept small and apart from the heading: it is updated on every line.
    private struct Open {
        var start: Int
        var line: Int
        var end: Int
        var startLineEnd: Int?
    }

    /// Calls `emit` for each message as soon as its end is known, so that a
    /// large trace never holds a second list of all its messages.
    /// `firstLine` is the number of lines before `buf` (a trace read in
    /// chunks); returns the number of the last line read. `passed` is told
    /// how many lines a run of plain lines held, which `classify` never saw.
    @discardableResult
    func slice(_ buf: UnsafeBufferPointer<UInt8>, firstLine: Int = 0, warnings: inout [String],
               classify: (UnsafeBufferPointer<UInt8>, Range<Int>) -> TraceLine,
               passed: (Int) -> Void = { _ in },
               emit: (MessageSegment) -> Void) -> Int {
        var emitted = 0
        var cursor = LineCursor(buf)
        var lineNumber = firstLine
        var open: Open? = nil
        var openHeading: MessageHeading? = nil
        var pending: MessageHeading? = nil
        var pendingLine = 0
        var strayLines = 0, firstStray = 0

        func close() {
            if let o = open {
                emit(MessageSegment(range: o.start..<o.end, line: o.line, heading: openHeading, startLineEnd: o.startLineEnd))
                emitted += 1
            }
            open = nil
        }

        while true {
            if skipsPlainLines, cursor.position < buf.count, PlainLines.isPlain(buf, at: cursor.position) {
                // What the loop below would do line by line: each line is
                // content, the open message's or a stray one.
                let run = PlainLines.run(buf, from: cursor.position)
                if open != nil {
                    open!.end = run.lastEnd
                } else {
                    if strayLines == 0 { firstStray = lineNumber + 1 }
                    strayLines += run.lines
                }
                passed(run.lines)
                let crossed = (lineNumber + run.lines) / 8192 != lineNumber / 8192
                lineNumber += run.lines
                cursor = LineCursor(buf, from: run.next)
                if crossed, Task.isCancelled { break }
                continue
            }
            guard let r = cursor.next() else { break }
            lineNumber += 1
            // A cancelled task stops cutting; TraceAssembler.finish throws.
            if lineNumber % 8192 == 0, Task.isCancelled { break }
            switch classify(buf, r) {
            case .heading(let h):
                close()
                if pending != nil {
                    warnings.append("line \(pendingLine): a message heading with no SIP message under it; skipped")
                }
                pending = nil
                if let inline = h.inlinePayload {
                    open = Open(start: inline.lowerBound, line: lineNumber, end: inline.upperBound, startLineEnd: nil)
                    openHeading = h
                } else {
                    pending = h
                    pendingLine = lineNumber
                }
                continue
            case .ignore:
                continue
            case .end:
                close()
                continue
            case .content:
                break
            }
            let t = ByteText.trimmed(buf, r)
            if t.isEmpty { continue }
            if open == nil || splitAtStartLines, startsMessage(buf, t) {
                close()
                open = Open(start: r.lowerBound, line: lineNumber, end: r.upperBound, startLineEnd: r.upperBound)
                openHeading = pending
                pending = nil
                continue
            }
            if open != nil {
                // `(no response for 32 seconds)` between messages is the
                // author's narration, not the end of a body.
                if Self.isNarrative(buf, t) { continue }
                open!.end = r.upperBound
            } else {
                if strayLines == 0 { firstStray = lineNumber }
                strayLines += 1
            }
        }
        close()
        if pending != nil {
            warnings.append("line \(pendingLine): a message heading with no SIP message under it; skipped")
        }
        if strayLines > 0, emitted > 0 {
            warnings.append("ignored \(strayLines) line\(strayLines == 1 ? "" : "s") outside any SIP message (first at line \(firstStray))")
        }
        return lineNumber
    }

    static func isNarrative(_ buf: UnsafeBufferPointer<UInt8>, _ t: Range<Int>) -> Bool {
        t.count >= 2 && buf[t.lowerBound] == UInt8(ascii: "(") && buf[t.upperBound - 1] == UInt8(ascii: ")")
    }
}
