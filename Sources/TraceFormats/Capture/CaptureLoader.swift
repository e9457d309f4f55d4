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

    static func read(_ reader: inout CaptureReader, name: String, options: Options, limits: TraceLimits) throws(TraceError) -> Trace {
        // A file's size is known before the first frame; a pipe's is
        // watched while it is read.
        if let limit = limits.maxCaptureBytes, let size = reader.fileSize, size > limit {
            throw .captureTooLarge(path: name, bytes: size, limit: limit)
        }
        var scanner = CaptureScanner(options: options)
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
        let format: TraceFormat = reader.format == .pcapng ? .pcapng : .pcap
        let trace = scanner.finish(format: format, readerWarnings: reader.warnings)
        // A capture read for some calls may keep nothing and still hold
        // SIP: the caller then says which Call-IDs it does hold.
        guard trace.messages.isEmpty, trace.skippedCallIDs.isEmpty, trace.media?.streams.isEmpty ?? true else { return trace }
        let unparsed = scanner.unparsed > 0 ? " (\(scanner.unparsed) SIP-looking payloads could not be parsed)" : ""
        throw .noMessages(format: format, detail: "\(name) holds no SIP message and no RTP\(unparsed); check the capture filter, or whether SIP ran over TLS, which cannot be read")
    }
}
