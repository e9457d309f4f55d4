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

        public init(measureMedia: Bool = true, callIDs: Set<String>? = nil, inviteWindow: ClosedRange<Double>? = nil) {
            self.measureMedia = measureMedia
            self.callIDs = callIDs
            self.inviteWindow = inviteWindow
        }
    }

    public static func load(path: String, options: Options = Options()) throws(TraceError) -> Trace {
        var reader: CaptureReader
        do {
            reader = try CaptureReader.open(path: path)
        } catch {
            throw .capture(error.description)
        }
        return try read(&reader, name: path, options: options)
    }

    public static func read(bytes: [UInt8], name: String, options: Options = Options()) throws(TraceError) -> Trace {
        var reader: CaptureReader
        do {
            reader = try CaptureReader(bytes: bytes, name: name)
        } catch {
            throw .capture(error.description)
        }
        return try read(&reader, name: name, options: options)
    }

    /// The Call-IDs of the capture at `path`, counted by a header scan of
    /// every SIP message: no message is parsed or kept, no RTP measured.
    public static func tally(path: String) throws(TraceError) -> CallTally {
        var reader: CaptureReader
        do {
            reader = try CaptureReader.open(path: path)
        } catch {
            throw .capture(error.description)
        }
        var scanner = CaptureScanner(options: Options(measureMedia: false), tally: true)
        do {
            try scanner.scan(&reader)
        } catch {
            throw .capture(error.description)
        }
        let tally = scanner.tally ?? CallTally()
        guard tally.messages == 0 else { return tally }
        let format: TraceFormat = reader.format == .pcapng ? .pcapng : .pcap
        throw noSIP(format: format, name: path, unparsed: scanner.unparsed)
    }

    static func read(_ reader: inout CaptureReader, name: String, options: Options) throws(TraceError) -> Trace {
        // Listing the Call-IDs of the messages a filtered read skips costs
        // more than the rest of the scan; it is done when it is needed,
        // when none of the calls asked for is there.
        var scanner = CaptureScanner(options: options, listSkipped: options.callIDs == nil)
        do {
            try scanner.scan(&reader)
        } catch {
            throw .capture(error.description)
        }
        let format: TraceFormat = reader.format == .pcapng ? .pcapng : .pcap
        var trace = scanner.finish(format: format, readerWarnings: reader.warnings)
        if let ids = options.callIDs, !trace.messages.contains(where: { $0.message.callID.map(ids.contains) == true }) {
            trace.skippedCallIDs = present(in: &reader, besides: trace)
        }
        // A capture read for some calls may keep nothing and still hold
        // SIP: the caller then says which Call-IDs it does hold.
        guard trace.messages.isEmpty, trace.skippedCallIDs.isEmpty, trace.media?.streams.isEmpty ?? true else { return trace }
        throw noSIP(format: format, name: name, unparsed: scanner.unparsed)
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

    private static func noSIP(format: TraceFormat, name: String, unparsed: Int) -> TraceError {
        let aside = unparsed > 0 ? " (\(unparsed) SIP-looking payloads could not be parsed)" : ""
        return .noMessages(format: format, detail: "\(name) holds no SIP message and no RTP\(aside); check the capture filter, or whether SIP ran over TLS, which cannot be read")
    }
}
