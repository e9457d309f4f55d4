/// The TCP header fields stream reassembly needs.
struct TCPSegment {
    var seq: UInt32
    var syn: Bool
    var fin: Bool
    var rst: Bool
}

/// What a TCP stream hands up: one whole SIP message, or one HEP packet
/// when the stream carries HEP.
struct StreamMessage {
    var flow: FlowKey
    var timestampNanos: Int64
    var bytes: UnsafeRawBufferPointer
    var frames: FrameSpan
    var isHEP: Bool
}

/// One direction of a TCP connection, cut into SIP messages.
///
/// Bytes are buffered only once the stream is known to carry SIP (or HEP):
/// a stream seen from its SYN must start with a SIP start line; one that
/// began before the capture is scanned, unbuffered, for a start line, and
/// given up after `nonSIPScanBudget` bytes without one. Sequence numbers
/// put segments in order: retransmitted bytes are trimmed, early segments
/// wait in a short list, and a hole that the list cannot bridge is a gap:
/// the message in progress is handed on as it is and the stream resumes at
/// the next start line.
struct TCPStream {
    enum Mode {
        /// The next in-order bytes begin the stream.
        case awaitingStart
        /// Looking for a SIP start line, buffering nothing.
        case searching
        case sip
        case hep
        /// Not SIP: segments are dropped on sight.
        case ignored
        /// After FIN or RST: late retransmissions are dropped; a SYN reopens.
        case closed
    }

    private struct Early {
        var seq: UInt32
        var bytes: [UInt8]
        var frames: [Int]
    }

    /// The bytes of a segment that reached the buffer, by stream offset.
    private struct Carrier {
        var start: Int
        var end: Int
        var frame: Int
    }

    let flow: FlowKey
    var serial: Int
    /// Set on every segment; the table's clock eviction clears it.
    var touched = true
    private(set) var mode: Mode = .awaitingStart
    private var sawSYN = false
    private var isn: UInt32?
    /// A SIP start line was seen: gaps and junk resynchronise rather than
    /// give the stream up, and the scan budget no longer applies.
    private var confirmed = false
    private var nextSeq: UInt32?
    private var buffer: [UInt8] = []
    private var consumed = 0
    /// Stream offset of `buffer[0]`.
    private var base = 0
    private var headerScanFrom = 0
    private var carriers: [Carrier] = []
    private var early: [Early] = []
    private var earlyBytes = 0
    private var scanned = 0
    private var lastTime: Int64 = 0
    private var lastFrame = 0

    init(flow: FlowKey, serial: Int) {
        self.flow = flow
        self.serial = serial
    }

    var heldBytes: Int { buffer.count + earlyBytes }
    var isActive: Bool { mode == .sip || mode == .hep || (mode == .searching && confirmed) }

    typealias Emit = (StreamMessage, inout PacketLog) -> Void

    mutating func receive(_ segment: TCPSegment, data: UnsafeRawBufferPointer, frames: FrameSpan, frame: Int, time: Int64,
                          limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        touched = true
        lastTime = time
        lastFrame = frame
        if segment.rst {
            close(log: &log, emit: emit)
            return
        }
        var seq = segment.seq
        if segment.syn {
            // A SYN with a new initial sequence number opens a new
            // connection on the same addresses; the same one again is a
            // retransmitted (or twice captured) SYN.
            if isn != seq || mode == .closed || mode == .ignored {
                if mode != .closed { flushPartial(.tcpIncomplete, log: &log, emit: emit) }
                reset()
                sawSYN = true
                isn = seq
                nextSeq = seq &+ 1
            }
            seq = seq &+ 1
        }
        guard mode != .ignored, mode != .closed else { return }
        if !data.isEmpty {
            take(seq, data, frames: frames, limits: limits, log: &log, emit: emit)
        }
        if segment.fin, early.isEmpty {
            close(log: &log, emit: emit)
        }
    }

    /// The end of the capture (or eviction): what is still buffered is
    /// handed on, with a warning, rather than lost.
    mutating func finish(limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        while !early.isEmpty, mode != .ignored, mode != .closed {
            gap(limits: limits, log: &log, emit: emit)
        }
        flushPartial(.tcpIncomplete, log: &log, emit: emit)
        early = []
        earlyBytes = 0
    }

    // MARK: Ordering

    private mutating func take(_ seq: UInt32, _ data: UnsafeRawBufferPointer, frames: FrameSpan,
                               limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        guard let expected = nextSeq else {
            // The first bytes of a stream that began before the capture.
            nextSeq = seq
            append(data, frames: frames, limits: limits, log: &log, emit: emit)
            drainEarly(limits: limits, log: &log, emit: emit)
            return
        }
        let delta = Int(Int32(bitPattern: seq &- expected))
        if delta < 0 {
            // A retransmission, perhaps carrying some new bytes at its end.
            guard -delta < data.count else { return }
            append(data.slice(-delta..<data.count), frames: frames, limits: limits, log: &log, emit: emit)
        } else if delta > 0 {
            holdBack(seq, data, frames: frames, limits: limits, log: &log, emit: emit)
            return
        } else {
            append(data, frames: frames, limits: limits, log: &log, emit: emit)
        }
        drainEarly(limits: limits, log: &log, emit: emit)
    }

    private mutating func holdBack(_ seq: UInt32, _ data: UnsafeRawBufferPointer, frames: FrameSpan,
                                   limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        if mode == .searching {
            // Nothing is buffered while searching: an early segment is as
            // good a place to look as any, and saves holding it.
            nextSeq = seq
            append(data, frames: frames, limits: limits, log: &log, emit: emit)
            return
        }
        if early.contains(where: { $0.seq == seq && $0.bytes.count >= data.count }) { return }
        early.append(Early(seq: seq, bytes: Array(data), frames: frames.numbers))
        earlyBytes += data.count
        if early.count > limits.maxOutOfOrderSegments || earlyBytes > limits.maxStreamBuffer {
            gap(limits: limits, log: &log, emit: emit)
        }
    }

    /// Appends the early segments that now follow on.
    private mutating func drainEarly(limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        while !early.isEmpty, mode != .ignored, mode != .closed, let expected = nextSeq,
              let i = early.firstIndex(where: { Int32(bitPattern: $0.seq &- expected) <= 0 }) {
            let segment = early.remove(at: i)
            earlyBytes -= segment.bytes.count
            // Negated as Int: Int32.min (a segment half the sequence space away) has no Int32 negation.
            let overlap = -Int(Int32(bitPattern: segment.seq &- expected))
            guard overlap < segment.bytes.count else { continue }
            let frames: FrameSpan = segment.frames.count == 1 ? .one(segment.frames[0]) : .several(segment.frames)
            segment.bytes.withUnsafeBytes { raw in
                append(raw.slice(overlap..<raw.count), frames: frames, limits: limits, log: &log, emit: emit)
            }
        }
    }

    /// Bytes are missing for good: hand on the message in progress, then
    /// resume at the earliest segment held, looking for a start line.
    private mutating func gap(limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        log.note(.tcpGap, frame: lastFrame)
        flushPartial(nil, log: &log, emit: emit)
        guard !early.isEmpty else { return }
        var lowest = 0
        for i in early.indices where Int32(bitPattern: early[i].seq &- early[lowest].seq) < 0 { lowest = i }
        nextSeq = early[lowest].seq
        if mode == .sip || mode == .hep || mode == .awaitingStart { mode = .searching }
        drainEarly(limits: limits, log: &log, emit: emit)
    }

    // MARK: Bytes in order

    private mutating func append(_ data: UnsafeRawBufferPointer, frames: FrameSpan,
                                 limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        nextSeq = nextSeq.map { $0 &+ UInt32(truncatingIfNeeded: data.count) }
        switch mode {
        case .ignored, .closed:
            return
        case .awaitingStart:
            var start = 0
            while start < data.count, data[start] == 0x0D || data[start] == 0x0A { start += 1 }
            guard start < data.count else { return }
            if data.count - start >= 4, data.be32(start) == 0x4845_5033 {
                mode = .hep
            } else if SIPStreamFraming.mayStartMessage(data, at: start) {
                mode = .sip
            } else if data.count - start >= 2, (0x14...0x17).contains(data[start]), data[start + 1] == 3 {
                // A TLS record header (content type, major version 3).
                log.note(.tcpTLS, frame: lastFrame)
                ignore()
                return
            } else if sawSYN {
                // The connection's first bytes are not SIP: it never will be.
                ignore()
                return
            } else {
                mode = .searching
                search(data, frames: frames, limits: limits, log: &log, emit: emit)
                return
            }
            buffer(data.slice(start..<data.count), frames: frames)
            extract(limits: limits, log: &log, emit: emit)
        case .searching:
            search(data, frames: frames, limits: limits, log: &log, emit: emit)
        case .sip, .hep:
            buffer(data, frames: frames)
            extract(limits: limits, log: &log, emit: emit)
        }
    }

    private mutating func search(_ data: UnsafeRawBufferPointer, frames: FrameSpan,
                                 limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        if let start = SIPStreamFraming.firstStartLine(data, in: 0..<data.count) {
            mode = .sip
            buffer(data.slice(start..<data.count), frames: frames)
            extract(limits: limits, log: &log, emit: emit)
            return
        }
        scanned += data.count
        if !confirmed, scanned > limits.nonSIPScanBudget { ignore() }
    }

    private mutating func buffer(_ data: UnsafeRawBufferPointer, frames: FrameSpan) {
        let start = base + buffer.count
        buffer.append(contentsOf: data)
        switch frames {
        case .one(let n):
            carriers.append(Carrier(start: start, end: start + data.count, frame: n))
        case .several(let all):
            for n in all { carriers.append(Carrier(start: start, end: start + data.count, frame: n)) }
        }
    }

    // MARK: Messages

    /// Cuts every whole message out of the buffer.
    private mutating func extract(limits: PacketDecoder.Limits, log: inout PacketLog, emit: Emit) {
        while mode == .sip || mode == .hep {
            // CRLF keep-alives (RFC 5626 4.4.1) between messages.
            while consumed < buffer.count, buffer[consumed] == 0x0D || buffer[consumed] == 0x0A { consumed += 1 }
            guard consumed < buffer.count else { break }
            let next = buffer.withUnsafeBytes { raw in
                mode == .hep ? Self.hepEnd(raw, from: consumed) : Self.sipEnd(raw, from: consumed, scanFrom: headerScanFrom, limits: limits)
            }
            switch next {
            case .message(let end):
                emitRange(consumed..<end, isHEP: mode == .hep, log: &log, emit: emit)
                confirmed = true
                consumed = end
                headerScanFrom = end
            case .needLine:
                compact()
                return
            case .needMore(let scanFrom):
                // The start line is good: this stream is SIP, whatever follows.
                confirmed = true
                headerScanFrom = scanFrom
                if buffer.count - consumed > limits.maxStreamBuffer {
                    log.note(.tcpOverflow, frame: lastFrame)
                    dropBuffer()
                    mode = .searching
                }
                compact()
                return
            case .tooLong:
                log.note(.tcpOverflow, frame: lastFrame)
                dropBuffer()
                mode = .searching
            case .notAMessage:
                guard confirmed else {
                    // The stream's first line is not SIP.
                    if sawSYN {
                        ignore()
                    } else {
                        let rest = Array(buffer[consumed...])
                        let frames = framesCovering(consumed..<buffer.count)
                        dropBuffer()
                        mode = .searching
                        rest.withUnsafeBytes { raw in
                            if raw.count > 1 { search(raw.slice(1..<raw.count), frames: frames, limits: limits, log: &log, emit: emit) }
                        }
                    }
                    return
                }
                log.note(.tcpNotSIPBetweenMessages, frame: lastFrame)
                let resume = buffer.withUnsafeBytes { raw in
                    mode == .hep ? nil : SIPStreamFraming.firstStartLine(raw, in: (consumed + 1)..<raw.count)
                }
                if let resume {
                    consumed = resume
                    headerScanFrom = resume
                } else {
                    dropBuffer()
                    mode = .searching
                }
            }
        }
        compact()
    }

    private enum Next {
        case message(end: Int)
        /// The start line has not all arrived.
        case needLine
        /// The start line is whole; the rest has not all arrived.
        case needMore(scanFrom: Int)
        case tooLong
        case notAMessage
    }

    /// The longest start line waited for before the stream is judged not SIP.
    private static let maxStartLine = 8192

    private static func sipEnd(_ b: UnsafeRawBufferPointer, from start: Int, scanFrom: Int, limits: PacketDecoder.Limits) -> Next {
        let lineEnd = SIPStreamFraming.endOfLine(b, from: start, limit: min(b.count, start + maxStartLine))
        guard lineEnd < b.count else {
            return b.count - start >= maxStartLine ? .notAMessage : .needLine
        }
        guard SIPStreamFraming.isStartLine(b, start..<lineEnd) else { return .notAMessage }
        // Resume the blank-line search where the last one stopped (less the
        // bytes a CRLFCRLF split across segments may have left behind).
        let from = max(start, scanFrom - 3)
        guard let headerEnd = SIPStreamFraming.endOfHeaders(b, in: from..<b.count) else {
            return .needMore(scanFrom: b.count)
        }
        let body: Int
        switch SIPStreamFraming.contentLength(b, headers: start..<headerEnd) {
        case .absent, .invalid: body = 0
        case .length(let n): body = n
        }
        let end = headerEnd + body
        if end - start > limits.maxStreamBuffer { return .tooLong }
        // Waiting for the body: the headers are found again next time (a
        // short scan, as it stops at the blank line).
        return end <= b.count ? .message(end: end) : .needMore(scanFrom: start)
    }

    private static func hepEnd(_ b: UnsafeRawBufferPointer, from start: Int) -> Next {
        guard b.count - start >= 6 else { return .needLine }
        guard b.be32(start) == 0x4845_5033 else { return .notAMessage }
        let length = Int(b.be16(start + 4))
        guard length >= 6 else { return .notAMessage }
        return start + length <= b.count ? .message(end: start + length) : .needMore(scanFrom: start)
    }

    private func framesCovering(_ r: Range<Int>) -> FrameSpan {
        let lo = base + r.lowerBound, hi = base + r.upperBound
        var first: Int?
        var all: [Int] = []
        for c in carriers where c.end > lo && c.start < hi {
            if first == nil {
                first = c.frame
            } else if all.isEmpty {
                if c.frame != first { all = [first!, c.frame] }
            } else if all.last != c.frame {
                all.append(c.frame)
            }
        }
        return all.isEmpty ? .one(first ?? lastFrame) : .several(all)
    }

    private func emitRange(_ r: Range<Int>, isHEP: Bool, log: inout PacketLog, emit: Emit) {
        let frames = framesCovering(r)
        buffer.withUnsafeBytes { raw in
            emit(StreamMessage(flow: flow, timestampNanos: lastTime, bytes: raw.slice(r), frames: frames, isHEP: isHEP), &log)
        }
    }

    /// Hands on a message that will get no more bytes, if it began with a
    /// start line; `issue` is noted when one was handed on.
    private mutating func flushPartial(_ issue: PacketIssue?, log: inout PacketLog, emit: Emit) {
        if mode == .sip {
            while consumed < buffer.count, buffer[consumed] == 0x0D || buffer[consumed] == 0x0A { consumed += 1 }
            if consumed < buffer.count {
                let starts = buffer.withUnsafeBytes { raw in
                    SIPStreamFraming.isStartLine(raw, consumed..<SIPStreamFraming.endOfLine(raw, from: consumed, limit: raw.count))
                }
                if starts {
                    emitRange(consumed..<buffer.count, isHEP: false, log: &log, emit: emit)
                    if let issue { log.note(issue, frame: lastFrame) }
                }
            }
        }
        dropBuffer()
    }

    private mutating func close(log: inout PacketLog, emit: Emit) {
        flushPartial(.tcpIncomplete, log: &log, emit: emit)
        reset()
        mode = .closed
    }

    private mutating func ignore() {
        reset()
        mode = .ignored
    }

    private mutating func reset() {
        dropBuffer()
        early = []
        earlyBytes = 0
        mode = .awaitingStart
        sawSYN = false
        isn = nil
        confirmed = false
        nextSeq = nil
        scanned = 0
    }

    private mutating func dropBuffer() {
        base += buffer.count
        // A stream that once held a large message gives the memory back.
        if buffer.capacity > 65_536 { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
        carriers.removeAll(keepingCapacity: true)
        consumed = 0
        headerScanFrom = 0
    }

    /// Drops consumed bytes once they are most of the buffer, so that
    /// compaction costs amortised O(1) per byte.
    private mutating func compact() {
        guard consumed > 0 else { return }
        if consumed == buffer.count {
            dropBuffer()
            return
        }
        guard consumed >= 4096, consumed * 2 >= buffer.count else { return }
        buffer.removeFirst(consumed)
        base += consumed
        headerScanFrom = max(0, headerScanFrom - consumed)
        consumed = 0
        carriers.removeAll { $0.end <= base }
    }
}
