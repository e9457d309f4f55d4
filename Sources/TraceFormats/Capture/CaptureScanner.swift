import SIPCore

/// One pass over a capture: frames go down the packet layers, SIP comes
/// out as messages and everything RTP-shaped into the media collector.
/// Only the SIP and per-stream counters are kept, so memory follows the
/// signalling, not the size of the file. With a `CallFilter` only the
/// candidates it names are parsed; the other messages are counted (so `#`
/// numbers stay the whole capture's) and give their Call-ID by a header
/// scan. Their SDP is not learnt: the media collector hears only about
/// the SDP of messages kept, which name every stream of the calls asked
/// for.
struct CaptureScanner {
    private(set) var messages: [CapturedMessage] = []
    private(set) var unparsed = 0
    private var decoderWarnings: [String] = []
    private var media = MediaCollector()
    private var parseWarnings = WarningTally()
    private let options: CaptureLoader.Options
    /// SIP messages seen, kept or not: the `#` numbers stay those of the
    /// whole capture, so a filtered diagnosis quotes the same references.
    private var seen = 0

    private var filter: CallFilter?
    /// A filtered read with no window yet holds the INVITEs that may fall
    /// in it (`CaptureLoader.Options.holdInvites`).
    private var held: HeldInvites?
    private var skipped = OrderedSet()
    /// Counting Call-IDs instead of keeping messages (`agentctl calls`).
    private(set) var tally: CallTally?

    /// Whether the Call-IDs of skipped messages are listed as they pass;
    /// a loader that lists them only when the call is not there (a second
    /// scan) saves most of a filtered scan's time.
    private let listSkipped: Bool

    /// `tally` counts every SIP message's Call-ID and keeps none.
    init(options: CaptureLoader.Options = .init(), tally: Bool = false, listSkipped: Bool = true) {
        self.options = options
        filter = options.callIDs.map { CallFilter($0, inviteWindow: options.inviteWindow) }
        if options.callIDs != nil, options.inviteWindow == nil, let margin = options.holdInvites { held = HeldInvites(margin: margin) }
        self.tally = tally ? CallTally() : nil
        self.listSkipped = listSkipped
    }

    /// Why the scan ended before the end of the capture; nil when it read it all.
    private(set) var stop: Stop?

    enum Stop: Equatable {
        /// The task reading the capture was cancelled.
        case cancelled
        /// More than the caller's `maxBytes` were read (from a pipe, whose
        /// size is not known up front).
        case tooLarge(bytes: Int)
    }

    /// Frames between looks at the task and the byte count: a look costs
    /// nothing beside decoding this many frames, which takes milliseconds.
    static let framesBetweenChecks = 4096

    mutating func scan(_ reader: inout CaptureReader, maxBytes: Int? = nil) throws(CaptureError) {
        // A local, so that handing payloads to `take` does not overlap
        // with the decoder's own mutation.
        var decoder = PacketDecoder()
        while let frame = try reader.next() {
            if reader.framesRead % Self.framesBetweenChecks == 0 {
                // Sync code sees the task it runs in; outside any task
                // nothing is cancelled.
                if Task.isCancelled { stop = .cancelled; return }
                if let maxBytes, reader.bytesRead > maxBytes { stop = .tooLarge(bytes: reader.bytesRead); return }
            }
            decoder.decode(frame) { self.take($0) }
        }
        // A pipe shorter than the checks' stride is judged whole.
        if let maxBytes, reader.bytesRead > maxBytes { stop = .tooLarge(bytes: reader.bytesRead); return }
        decoder.finish { self.take($0) }
        decoderWarnings = decoder.warnings
    }

    private mutating func take(_ p: TransportPayload) {
        let bytes = UnsafeBufferPointer(start: p.payload.baseAddress?.assumingMemoryBound(to: UInt8.self), count: p.payload.count)
        // TCP payloads arrive already framed as SIP messages.
        let headers: Int?
        switch p.transport == .tcp ? .sip(headers: SIPParser.headersStart(bytes)) : SIPPayloadCheck.look(bytes) {
        case .notSIP:
            guard options.measureMedia else { return }
            // RTP the held INVITEs' SDP could name differently: hold none.
            if held != nil, bytes.count >= 8, bytes[0] >> 6 == 2 { held!.spoil() }
            if !media.offer(p), let text = SDPCarrier.sdpText(bytes), let sdp = SessionDescription(text) { media.learn(sdp) }
            return
        case .sip(let h):
            headers = h
        }
        // A listing or a filtered read looks at most messages only long
        // enough to count them and take their Call-ID; a message the
        // parser would refuse goes to it, which says why.
        if tally != nil || filter.map({ !$0.isCandidate(bytes, timestampNanos: p.timestampNanos) }) == true, let headers {
            seen += 1
            if held != nil, SIPHeaderScan.mayCreateDialog(bytes, headers: headers) { hold(bytes, p) }
            guard tally != nil || listSkipped else { return }
            let time = Double(p.timestampNanos) / 1e9
            if let r = SIPHeaderScan.callIDRange(bytes, headers: headers) {
                if tally != nil { tally!.add(bytes, callID: r, timestamp: time) } else { skipped.insert(bytes, r) }
            } else {
                let id = SIPHeaderScan.callID(bytes, headers: headers)
                if tally != nil { tally!.add(callID: id, timestamp: time) } else if let id { skipped.insert(id) }
            }
            return
        }
        let message: SIPMessage
        do {
            message = try SIPParser.parse(bytes)
        } catch {
            unparsed += 1
            parseWarnings.add("a SIP-looking payload could not be parsed (\(error))", frame: p.frames.numbers.first ?? 0)
            return
        }
        seen += 1
        if options.measureMedia, let sdp = message.sdp { media.learn(sdp) }
        if filter != nil {
            guard filter!.keeps(message, bytes, timestampNanos: p.timestampNanos) else {
                if listSkipped, let id = message.callID { skipped.insert(id) }
                if held != nil, let headers, SIPHeaderScan.mayCreateDialog(bytes, headers: headers) { hold(bytes, p) }
                return
            }
            filter!.learn(message)
            if held != nil, message.method == "INVITE", message.to?.tag == nil { held!.keptInvite(at: p.timestampNanos) }
        }
        messages.append(CapturedMessage(
            index: seen, timestamp: Double(p.timestampNanos) / 1e9,
            source: p.flow.source.endpoint, destination: p.flow.destination.endpoint,
            transport: p.transport.rawValue, message: message, line: 0, frames: p.frames.numbers))
    }

    /// A dialog-creating INVITE the filtered read passes by, numbered `seen`.
    private mutating func hold(_ bytes: UnsafeBufferPointer<UInt8>, _ p: TransportPayload) {
        held!.hold(bytes, nanos: p.timestampNanos, place: HeldInvites.Place(index: seen, flow: p.flow, transport: p.transport, frames: p.frames))
    }

    mutating func finish(format: TraceFormat, readerWarnings: [String]) -> Trace {
        var trace = Trace(format: format, messages: messages, warnings: readerWarnings + decoderWarnings + parseWarnings.lines + media.warnings, media: options.measureMedia ? media.finish() : nil, skippedCallIDs: skipped.items)
        // Near the cap on SDP addresses, the held INVITEs' SDP could change
        // which are named (and the warning that says so).
        if held != nil, media.namedCount > MediaCollector.maxNamedAddresses / 2 { held!.spoil() }
        trace.heldInvites = held
        return trace
    }
}

/// Distinct Call-IDs in first-seen order.
struct OrderedSet {
    private var index = CallIDIndex()
    var items: [String] { index.items }

    mutating func insert(_ s: String) { _ = index.index(s) }

    /// The Call-ID at `r` in `bytes`, without a string when seen before.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) { _ = index.index(bytes, r) }
}

/// Warnings that repeat per packet, folded into one line per kind with
/// a count and the first frame, so a bad capture does not print a
/// million lines.
struct WarningTally {
    private var order: [String] = []
    private var counts: [String: (count: Int, firstFrame: Int)] = [:]

    mutating func add(_ text: String, frame: Int) {
        if let c = counts[text] {
            counts[text] = (c.count + 1, c.firstFrame)
        } else {
            guard order.count < 50 else { return }
            order.append(text)
            counts[text] = (1, frame)
        }
    }

    var lines: [String] {
        order.map { t in
            let c = counts[t]!
            return c.count == 1 ? "frame \(c.firstFrame): \(t)" : "\(c.count) times, first in frame \(c.firstFrame): \(t)"
        }
    }
}
