import SIPCore
import TraceFormats

/// Indexes a pcap or pcapng stream: frames go down the packet layers (so
/// TCP is reassembled and fragments joined, as a diagnosis reads them),
/// each SIP message gives its Call-ID by a header scan and its
/// correlation values by a line walk, and is never parsed. A message's
/// bytes are its frames' records: from the record header of the first
/// frame that carried it to the end of the last.
struct CaptureSpanScan {
    /// Where recent frames lie in the stream, by frame number: a TCP
    /// message is delivered with the frames that carried it, which are
    /// recent. A frame older than the ring is placed at the stream's
    /// start, which only widens the span.
    private struct FrameOffsets {
        static let capacity = 1 << 16
        private var starts = [Int64](repeating: 0, count: capacity)
        private var ends = [Int64](repeating: 0, count: capacity)
        private var numbers = [Int](repeating: 0, count: capacity)

        mutating func record(_ number: Int, _ start: Int64, _ end: Int64) {
            let slot = number & (Self.capacity - 1)
            starts[slot] = start
            ends[slot] = end
            numbers[slot] = number
        }

        func range(_ number: Int) -> Range<Int64>? {
            let slot = number & (Self.capacity - 1)
            return numbers[slot] == number ? starts[slot]..<ends[slot] : nil
        }
    }

    var collector = CallSpanCollector()
    private var offsets = FrameOffsets()
    private(set) var format: CaptureFormat?
    private(set) var warnings: [String] = []

    /// Reads the whole capture through `pull` (which hands out the bytes
    /// of `name` from its start).
    mutating func scan(name: String, pull: @escaping CaptureReader.Pull) throws(CaptureError) {
        var reader = try CaptureReader(name: name, pull: pull)
        format = reader.format
        var decoder = PacketDecoder()
        while true {
            let start = Int64(reader.bytesRead)
            guard let frame = try reader.next() else { break }
            offsets.record(frame.number, start, Int64(reader.bytesRead))
            if frame.number % 4096 == 0, Task.isCancelled { break }
            decoder.decode(frame) { self.take($0) }
        }
        decoder.finish { self.take($0) }
        warnings = reader.warnings
    }

    private mutating func take(_ p: TransportPayload) {
        let bytes = UnsafeBufferPointer(start: p.payload.baseAddress?.assumingMemoryBound(to: UInt8.self), count: p.payload.count)
        // One look at the start line tells SIP and where its headers begin
        // (a reassembled TCP stream is SIP already, by its port).
        let found: Int?
        if p.transport == .tcp {
            found = SIPParser.headersStart(bytes)
        } else if case .sip(let h) = SIPPayloadCheck.look(bytes) {
            found = h
        } else {
            return
        }
        guard let headers = found else { return }
        let range: Range<Int64>
        switch p.frames {
        case .one(let n):
            range = offsets.range(n) ?? 0..<0
        case .several(let all):
            let lo = all.min().flatMap { offsets.range($0)?.lowerBound } ?? 0
            let hi = all.max().flatMap { offsets.range($0)?.upperBound } ?? lo
            range = lo..<max(lo, hi)
        }
        let time = Double(p.timestampNanos) / 1e9
        collector.add(message: bytes, headers: headers, range: range, time: time)
    }
}
