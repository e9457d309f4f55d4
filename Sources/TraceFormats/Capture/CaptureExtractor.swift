#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies the frames of one call out of a capture into a new file: the
/// frames that carried its SIP (known from reading it) and every frame of
/// its RTP and RTCP flows (found by decoding again). Frames are copied
/// byte for byte with their original times, so the new file shows exactly
/// what the old one did, for a carrier dispute.
public enum CaptureExtractor {
    /// What to copy: frame numbers already known, and UDP flows whose
    /// every datagram goes along.
    public struct Selection: Sendable {
        public var frames: Set<Int>
        public var flows: Set<FlowKey>

        public init(frames: Set<Int>, flows: Set<FlowKey>) {
            self.frames = frames
            self.flows = flows
        }
    }

    public struct Summary: Sendable, Equatable {
        public var frames: Int
        public var bytes: Int
        /// pcap when every frame has one link type, pcapng otherwise.
        public var format: TraceFormat
    }

    /// Writes `output` (replacing it only once complete, so a failed run
    /// never leaves half a file under the name asked for).
    public static func extract(from input: String, selection: Selection, to output: String) throws(CaptureError) -> Summary {
        if let a = realpath(input, nil) {
            defer { free(a) }
            if let b = realpath(output, nil) {
                defer { free(b) }
                guard strcmp(a, b) != 0 else { throw .writeFailed(path: output, reason: "it is the capture being read; choose another output file") }
            }
        }
        var reader = try CaptureReader.open(path: input)
        var wanted = selection.frames
        var linkTypes: [LinkType] = []
        var decoder = PacketDecoder()
        func note(_ t: LinkType) { if !linkTypes.contains(t) { linkTypes.append(t) } }
        while let frame = try reader.next() {
            let linkType = frame.linkType
            if wanted.contains(frame.number) { note(linkType) }
            decoder.decode(frame) { p in
                guard p.transport == .udp, selection.flows.contains(p.flow) else { return }
                wanted.formUnion(p.frames.numbers)
                note(linkType)
            }
        }
        try reader.rewind()
        let partial = output + ".partial"
        let written: Int
        let format: TraceFormat
        do {
            if linkTypes.count <= 1 {
                let writer = try PcapWriter.create(path: partial, linkType: linkTypes.first ?? .ethernet, nanosecond: true)
                while let frame = try reader.next() {
                    guard wanted.contains(frame.number) else { continue }
                    try writer.append(timestampNanos: frame.timestampNanos, data: frame.data, originalLength: frame.originalLength)
                }
                try writer.finish()
                written = writer.sink.bytesWritten
                format = .pcap
            } else {
                var writer = try PcapNGWriter.create(path: partial)
                var interfaceOf: [LinkType: Int] = [:]
                for t in linkTypes { interfaceOf[t] = try writer.addInterface(.init(linkType: t, resolution: .nanoseconds)) }
                while let frame = try reader.next() {
                    guard wanted.contains(frame.number) else { continue }
                    try writer.append(interface: interfaceOf[frame.linkType] ?? 0, timestampNanos: frame.timestampNanos,
                                      data: frame.data, originalLength: frame.originalLength)
                }
                try writer.finish()
                written = writer.sink.bytesWritten
                format = .pcapng
            }
        } catch {
            unlink(partial)
            throw error
        }
        guard rename(partial, output) == 0 else {
            let reason = String(cString: strerror(errno)).lowercased()
            unlink(partial)
            throw .writeFailed(path: output, reason: reason)
        }
        return Summary(frames: wanted.count, bytes: written, format: format)
    }
}
