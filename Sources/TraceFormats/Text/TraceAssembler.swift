import SIPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses segments into captured messages, numbering them in reading
/// order and turning what could not be parsed into warnings.
struct TraceAssembler {
    let format: TraceFormat
    var messages: [CapturedMessage] = []
    var warnings: [String] = []
    /// Set once the task reading the trace is cancelled: the rest of the
    /// segments are skipped unparsed and `finish` throws.
    private(set) var cancelled = false
    private var added = 0
    /// With a filter only the messages of the calls asked for are parsed
    /// and kept (as for captures, `CallFilter`); the others are counted, so
    /// message numbers stay the whole trace's, and give their Call-ID by a
    /// header scan.
    private var filter: CallFilter?
    private var skipped = OrderedSet()
    /// SIP messages read, kept or not: the next one's number is `seen + 1`.
    private var seen = 0

    /// `expectedBytes` sizes the message list up front: regrowing a list of
    /// half a million messages costs more than parsing them.
    init(format: TraceFormat, expectedBytes: Int = 0, filter: CallFilter? = nil) {
        self.format = format
        self.filter = filter
        if filter == nil { messages.reserveCapacity(min(expectedBytes / 400, 2_000_000)) }
    }

    /// `rewrite` turns a segment a format decorated (indentation, ngrep's
    /// dots) back into plain SIP; nil parses the bytes where they lie.
    mutating func add(_ buf: UnsafeBufferPointer<UInt8>, _ segment: MessageSegment,
                      rewrite: ((UnsafeBufferPointer<UInt8>, Range<Int>) -> [UInt8])? = nil) {
        if stopsForCancellation() { return }
        if let rewrite {
            let bytes = rewrite(buf, segment.range)
            bytes.withUnsafeBufferPointer { add($0, line: segment.line, heading: segment.heading) }
        } else {
            add(UnsafeBufferPointer(rebasing: buf[segment.range]), line: segment.line, heading: segment.heading)
        }
    }

    /// `add`, for raw SIP: in a filtered read that does not list the
    /// Call-IDs it skips, a segment in which the search of the whole
    /// buffer found no needle (`hits`) is no candidate, and is only
    /// counted, as `add` would count it, without a look at its bytes. Its
    /// start line must still be what `SIPParser.headersStart` accepts,
    /// or `add` would parse it for a warning: the slicer found it a start
    /// line, and with no `<` on it no annotation is cut off it.
    mutating func add(_ buf: UnsafeBufferPointer<UInt8>, _ segment: MessageSegment, hits: inout NeedleHits) {
        guard let filter, !filter.listsSkipped, segment.heading == nil, let lineEnd = segment.startLineEnd,
              let base = buf.baseAddress, segment.range.count <= SIPParser.Options().maxMessageBytes,
              memchr(base + segment.range.lowerBound, Int32(UInt8(ascii: "<")), lineEnd - segment.range.lowerBound) == nil,
              !hits.any(buf, in: segment.range, filter) else {
            add(buf, segment)
            return
        }
        if stopsForCancellation() { return }
        seen += 1
    }

    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, heading: MessageHeading?) {
        let time = heading?.timestamp.flatMap(CallFilter.nanos)
        if let filter, !filter.isCandidate(bytes, timestampNanos: time), let headers = SIPParser.headersStart(bytes) {
            seen += 1
            guard filter.listsSkipped else { return }
            if let r = SIPHeaderScan.callIDRange(bytes, headers: headers) {
                skipped.insert(bytes, r)
            } else if let id = SIPHeaderScan.callID(bytes, headers: headers) {
                skipped.insert(id)
            }
            return
        }
        let result = Result { () throws(SIPParseError) in try SIPParser.parse(bytes) }
        if filter != nil, case .success(let message) = result {
            guard filter!.keeps(message, bytes, timestampNanos: time) else {
                seen += 1
                if filter!.listsSkipped, let id = message.callID { skipped.insert(id) }
                return
            }
            filter!.learn(message)
        }
        add(result, line: line, heading: heading)
    }

    mutating func add(_ result: Result<SIPMessage, SIPParseError>, line: Int, heading: MessageHeading?) {
        // Homer's rows come here straight, not through a segment.
        if stopsForCancellation() { return }
        switch result {
        case .success(let message):
            seen += 1
            let index = seen
            if let h = heading {
                messages.append(CapturedMessage(
                    index: index, timestamp: h.timestamp,
                    source: h.source, destination: h.destination,
                    sourceLabel: h.sourceLabel, destinationLabel: h.destinationLabel,
                    transport: h.transport, message: message, line: line))
            } else {
                messages.append(CapturedMessage(index: index, timestamp: nil, message: message, line: line))
            }
        case .failure(let error):
            let place = line > 0 ? "line \(line)" : "message \(seen + 1)"
            warnings.append("\(place): skipped a message that could not be read: \(error)")
        }
    }

    /// Parsing is where a text read spends its time, so that is where it
    /// looks at its task: every thousand messages, a look that costs nothing
    /// beside a parse (sync code sees the task it runs in; outside any
    /// task nothing is cancelled).
    private mutating func stopsForCancellation() -> Bool {
        if cancelled { return true }
        added += 1
        if added % 1024 == 0, Task.isCancelled { cancelled = true }
        return cancelled
    }

    /// `readerWarnings` are the reader's own (stray lines, empty headings),
    /// listed before those of the messages.
    /// `platformLog` are the platform's own log lines the reader kept;
    /// each learns which message it follows.
    func finish(readerWarnings: [String] = [], platformLog: [PlatformLogLine] = []) throws(TraceError) -> Trace {
        // The reader names no file; TraceLoader puts the name in.
        if cancelled || Task.isCancelled { throw .cancelled(path: "") }
        let warnings = readerWarnings + self.warnings
        // A read for some calls may keep nothing of a trace that holds SIP:
        // the caller then says which Call-IDs it does hold.
        if messages.isEmpty, !skipped.items.isEmpty || (filter?.listsSkipped == false && seen > 0) {
            return Trace(format: format, messages: [], warnings: warnings, skippedCallIDs: skipped.items, platformLog: platformLog)
        }
        guard !messages.isEmpty else {
            let why = warnings.first ?? "no line looks like a SIP start line (\"INVITE sip:... SIP/2.0\" or \"SIP/2.0 200 OK\")"
            // Name the way out: the sniffer may have picked the wrong reader.
            throw .noMessages(format: format, detail: why + "; if the file is in another format, force it with --input-format")
        }
        return Trace(format: format, messages: messages, warnings: warnings, skippedCallIDs: skipped.items, platformLog: placed(platformLog))
    }

    /// Sets `afterMessage` from line numbers: messages are in reading
    /// order, so the last one starting above a log line is the one it follows.
    func placed(_ log: [PlatformLogLine]) -> [PlatformLogLine] {
        guard !log.isEmpty else { return [] }
        var out = log
        var k = 0
        for i in out.indices.sorted(by: { out[$0].line < out[$1].line }) {
            while k < messages.count, messages[k].line < out[i].line { k += 1 }
            out[i].afterMessage = k > 0 ? messages[k - 1].index : 0
        }
        return out
    }
}
