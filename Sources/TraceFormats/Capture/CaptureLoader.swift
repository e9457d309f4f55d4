/// Reads a pcap or pcapng capture into a `Trace`: its SIP messages, and
/// the RTP/RTCP it carried measured per stream.
public enum CaptureLoader {
    public static func load(path: String) throws(TraceError) -> Trace {
        var reader: CaptureReader
        do {
            reader = try CaptureReader.open(path: path)
        } catch {
            throw .capture(error.description)
        }
        return try read(&reader, name: path)
    }

    public static func read(bytes: [UInt8], name: String) throws(TraceError) -> Trace {
        var reader: CaptureReader
        do {
            reader = try CaptureReader(bytes: bytes, name: name)
        } catch {
            throw .capture(error.description)
        }
        return try read(&reader, name: name)
    }

    static func read(_ reader: inout CaptureReader, name: String) throws(TraceError) -> Trace {
        var scanner = CaptureScanner()
        do {
            try scanner.scan(&reader)
        } catch {
            throw .capture(error.description)
        }
        let format: TraceFormat = reader.format == .pcapng ? .pcapng : .pcap
        let trace = scanner.finish(format: format, readerWarnings: reader.warnings)
        guard !trace.messages.isEmpty || !(trace.media?.streams.isEmpty ?? true) else {
            throw .noMessages(format: format, detail: "\(name) holds no SIP message and no RTP (\(scanner.unparsed) SIP-looking payloads could not be parsed); check the capture filter, or whether SIP ran over TLS, which cannot be read")
        }
        return trace
    }
}
