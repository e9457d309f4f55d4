import SIPCore

/// Reads a pcap or pcapng capture into a `Trace`: its SIP messages, and
/// the RTP/RTCP it carried measured per stream.
public enum CaptureLoader {
    /// What to keep of a capture. The defaults keep everything; a listing
    /// skips the media, a diagnosis of named calls keeps only their SIP.
    public struct Options: Sendable {
        /// Measure RTP and RTCP (off for a Call-ID listing, which needs none).
        public var measureMedia: Bool
        /// Keep only what these calls need (nil keeps every message), so
        /// memory follows the calls asked for, not the whole capture's
        /// signalling. See `CallFilter` for what "need" covers.
        public var callIDs: Set<String>?
        /// With `callIDs`: also keep dialog-creating INVITEs sent in this
        /// span (seconds since the epoch), the candidates for a leg tied
        /// only by its numbers and timing. Nil keeps none of them.
        public var inviteWindow: ClosedRange<Double>?
        /// With `callIDs` and no `inviteWindow`: hold the dialog-creating
        /// INVITEs within this many seconds of the calls' own
        /// (`Trace.heldInvites`), so that the window, once known, is applied
        /// without reading again. Nil holds none.
        public var holdInvites: Double?
        /// With `callIDs`, for a text trace: list the Call-IDs of the
        /// messages left out as the read goes (`Trace.skippedCallIDs`).
        /// False lists none, which saves a fifth of the read; a caller that
        /// then finds none of its calls there reads again with it true, as
        /// `CallTraceLoader` does. A capture lists them by a second scan
        /// when none of the calls is there, whatever this says.
        public var listsSkippedCallIDs: Bool

        public init(measureMedia: Bool = true, callIDs: Set<String>? = nil, inviteWindow: ClosedRange<Double>? = nil,
                    holdInvites: Double? = nil, listsSkippedCallIDs: Bool = true) {
            self.measureMedia = measureMedia
            self.callIDs = callIDs
            self.inviteWindow = inviteWindow
            self.holdInvites = holdInvites
            self.listsSkippedCallIDs = listsSkippedCallIDs
        }

        /// The text filter these options ask for; nil keeps every message.
        var textFilter: CallFilter? {
            guard let callIDs else { return nil }
            var filter = CallFilter(callIDs, inviteWindow: inviteWindow)
            filter.listsSkipped = listsSkippedCallIDs
            return filter
        }
    }

    /// Reads the capture at `path`. A read in a task that is cancelled stops
    /// with `.cancelled` within a few thousand frames.
    public static func load(path: String, options: Options = Options(), limits: TraceLimits = TraceLimits()) throws(TraceError) -> Trace {
        var reader: CaptureReader
        do {
            reader = try CaptureReader.open(path: path)
        } catch {
            throw .capture(error)
        }
        return try read(&reader, name: path, options: options, limits: limits)
    }

    public static func read(bytes: [UInt8], name: String, options: Options = Options(), limits: TraceLimits = TraceLimits()) throws(TraceError) -> Trace {
        var reader: CaptureReader
        do {
            reader = try CaptureReader(bytes: bytes, name: name)
        } catch {
            throw .capture(error)
        }
        return try read(&reader, name: name, options: options, limits: limits)
    }

    /// The Call-IDs of the capture at `path`, counted by a header scan of
    /// every SIP message: no message is parsed or kept, no RTP measured.
    /// Cancellation and the size limit stop it as they stop a read.
    public static func tally(path: String, limits: TraceLimits = TraceLimits()) throws(TraceError) -> CallTally {
        var reader: CaptureReader
        do {
            reader = try CaptureReader.open(path: path)
        } catch {
            throw .capture(error)
        }
        try checkSize(of: reader, name: path, limits: limits)
        var scanner = CaptureScanner(options: Options(measureMedia: false), tally: true)
        try scan(&scanner, &reader, name: path, limits: limits)
        let tally = scanner.tally ?? CallTally()
        guard tally.messages == 0 else { return tally }
        let format: TraceFormat = reader.format == .pcapng ? .pcapng : .pcap
        throw noSIP(format: format, name: path, unparsed: scanner.unparsed, mediaRead: false)
    }

    static func read(_ reader: inout CaptureReader, name: String, options: Options, limits: TraceLimits) throws(TraceError) -> Trace {
        try checkSize(of: reader, name: name, limits: limits)
        // Listing the Call-IDs of the messages a filtered read skips costs
        // more than the rest of the scan; it is done when it is needed,
        // when none of the calls asked for is there.
        var scanner = CaptureScanner(options: options, listSkipped: options.callIDs == nil)
        try scan(&scanner, &reader, name: name, limits: limits)
        let format: TraceFormat = reader.format == .pcapng ? .pcapng : .pcap
        var trace = scanner.finish(format: format, readerWarnings: reader.warnings)
        if let ids = options.callIDs, !trace.messages.contains(where: { $0.message.callID.map(ids.contains) == true }) {
            trace.skippedCallIDs = present(in: &reader, besides: trace)
        }
        // A capture read for some calls may keep nothing and still hold
        // SIP: the caller then says which Call-IDs it does hold.
        guard trace.messages.isEmpty, trace.skippedCallIDs.isEmpty, trace.media?.streams.isEmpty ?? true else { return trace }
        throw noSIP(format: format, name: name, unparsed: scanner.unparsed, mediaRead: options.measureMedia)
    }

    /// A file's size is known before the first frame; a pipe's is
    /// watched while it is read.
    private static func checkSize(of reader: CaptureReader, name: String, limits: TraceLimits) throws(TraceError) {
        if let limit = limits.maxCaptureBytes, let size = reader.fileSize, size > limit {
            throw .captureTooLarge(path: name, bytes: size, limit: limit)
        }
    }

    /// One scan, stopped by cancellation or the size limit.
    private static func scan(_ scanner: inout CaptureScanner, _ reader: inout CaptureReader, name: String, limits: TraceLimits) throws(TraceError) {
        do {
            try scanner.scan(&reader, maxBytes: limits.maxCaptureBytes)
        } catch {
            throw .capture(error)
        }
        switch scanner.stop {
        case .cancelled?: throw .cancelled(path: name)
        case .tooLarge(let bytes)?: throw .captureTooLarge(path: name, bytes: bytes, limit: limits.maxCaptureBytes ?? bytes)
        case nil: break
        }
    }

    /// The Call-IDs of the capture that `trace` did not keep, in order,
    /// from a second scan that keeps nothing; none when the capture
    /// cannot be read again (a pipe).
    private static func present(in reader: inout CaptureReader, besides trace: Trace) -> [String] {
        var lister = CaptureScanner(options: Options(measureMedia: false), tally: true)
        do {
            try reader.rewind()
            try lister.scan(&reader)
        } catch {
            return []
        }
        let kept = Set(trace.messages.compactMap(\.message.callID))
        return (lister.tally?.entries ?? []).map(\.callID).filter { !kept.contains($0) }
    }

    /// `mediaRead` false: a listing skips RTP unread, so it cannot say
    /// whether there was any; `diagnose` can.
    private static func noSIP(format: TraceFormat, name: String, unparsed: Int, mediaRead: Bool) -> TraceError {
        let aside = unparsed > 0 ? " (\(unparsed) SIP-looking payloads could not be parsed)" : ""
        let what = mediaRead ? "no SIP message and no RTP" : "no SIP message (RTP is not looked at when listing Call-IDs: agentctl diagnose measures it)"
        return .noMessages(format: format, detail: "\(name) holds \(what)\(aside); check the capture filter, or whether SIP ran over TLS, which cannot be read")
    }
}
