import Foundation
import Testing
import TestSupport
import TraceFormats

/// Every public capture beside the project, read by us and by tshark:
/// the same Call-IDs with the same number of SIP messages each, and per
/// RTP stream the same loss and a jitter within 5 %.
@Suite(.enabled(if: Tshark.path != nil && Tshark.publicCaptures != nil, "needs tshark and ../shared/fixtures/public-pcaps"))
struct TsharkReferenceTests {
    /// Below this, jitter differences are the capture clock's resolution
    /// (microsecond pcap timestamps), not a different computation.
    static let jitterFloorMs = 0.01

    @Test(arguments: Tshark.publicCaptureFiles)
    func sameCallIDsAndMessageCounts(_ file: URL) throws {
        let trace = try CaptureLoader.load(path: file.path)
        var ours: [String: Int] = [:]
        for m in trace.messages { if let id = m.message.callID { ours[id, default: 0] += 1 } }
        let theirs = try Tshark.sipCallIDCounts(file.path)
        #expect(ours == theirs, "\(file.lastPathComponent): Call-ID message counts differ")
    }

    @Test(arguments: Tshark.publicCaptureFiles)
    func sameStreamLossAndJitter(_ file: URL) throws {
        let trace = try CaptureLoader.load(path: file.path)
        let streams = trace.media?.streams ?? []
        for row in try Tshark.rtpStreams(file.path) {
            let match = streams.first { s in
                s.ssrc == row.ssrc && plain(s.source) == row.source && plain(s.destination) == row.destination
            }
            guard let s = match else {
                Issue.record("\(file.lastPathComponent): tshark's stream \(row.source) -> \(row.destination) SSRC \(row.ssrc) is missing")
                continue
            }
            #expect(s.packets == row.packets, "\(file.lastPathComponent) \(row.source)->\(row.destination): packets")
            #expect(Double(abs(s.lost - row.lost)) <= 0.05 * Double(abs(row.lost)), "\(file.lastPathComponent) \(row.source)->\(row.destination): lost \(s.lost) vs \(row.lost)")
            #expect(close(s.jitterMeanMs, row.meanJitterMs), "\(file.lastPathComponent) \(row.source)->\(row.destination): mean jitter \(s.jitterMeanMs) vs \(row.meanJitterMs)")
            #expect(close(s.jitterMaxMs, row.maxJitterMs), "\(file.lastPathComponent) \(row.source)->\(row.destination): max jitter \(s.jitterMaxMs) vs \(row.maxJitterMs)")
        }
    }

    /// A 60 s G.711 stream from a seeded generator: 3 % loss, a duplicate
    /// every ~200 packets, one packet in ~150 held back 25 ms (so it arrives
    /// after the next), up to 8 ms of arrival jitter, the sequence wrapping
    /// at 65535. Written as a pcap and read by both; to tshark's three
    /// decimals, which tells Wireshark 4.0's handling of late packets from
    /// later versions'.
    @Test(.enabled(if: Tshark.path != nil, "needs tshark"))
    func lossyReorderedWrappingStream() throws {
        var rng = SplitMix64(seed: 20260)
        var packets: [(arrivalMicros: Int64, seq: UInt16, ts: UInt32)] = []
        for k in 0..<3000 {
            let r = rng.next()
            var arrival = Int64(k) * 20000 + Int64(r % 8000)
            if (r >> 16) % 100 < 3 { continue }
            if (r >> 32) % 150 == 0 { arrival += 25000 }
            let seq = UInt16(truncatingIfNeeded: 65000 + k), ts = UInt32(1000 + k * 160)
            packets.append((arrival, seq, ts))
            if (r >> 24) % 200 == 0 { packets.append((arrival + 100, seq, ts)) }
        }
        packets.sort { ($0.arrivalMicros, $0.seq) < ($1.arrivalMicros, $1.seq) }
        let src = SocketAddress(NetAddress("10.0.0.1")!, 40000), dst = SocketAddress(NetAddress("10.0.0.2")!, 40002)
        let writer = try PcapWriter(linkType: .ethernet)
        for p in packets {
            let rtp: [UInt8] = [0x80, 0, UInt8(p.seq >> 8), UInt8(p.seq & 0xFF), UInt8(p.ts >> 24), UInt8((p.ts >> 16) & 0xFF),
                                UInt8((p.ts >> 8) & 0xFF), UInt8(p.ts & 0xFF), 0xAB, 0xCD, 0x00, 0x01] + [UInt8](repeating: 0xFF, count: 160)
            try writer.append(timestampNanos: 1_700_000_000_000_000_000 + p.arrivalMicros * 1000,
                              data: PacketBuilder.frame(PacketBuilder.udp(from: src, to: dst, payload: rtp)))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lossy-\(UUID().uuidString).pcap").path
        try Data(writer.bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let theirs = try #require(Tshark.rtpStreams(path, decodeAs: "udp.port==40002,rtp").first)
        let ours = try #require(CaptureLoader.load(path: path).media?.streams.first)
        #expect(ours.packets == theirs.packets)
        #expect(ours.lost == theirs.lost && ours.lost > 0)
        #expect(abs(ours.jitterMeanMs - theirs.meanJitterMs) < 0.0006, "mean jitter \(ours.jitterMeanMs) vs \(theirs.meanJitterMs)")
        #expect(abs(ours.jitterMaxMs - theirs.maxJitterMs) < 0.0006, "max jitter \(ours.jitterMaxMs) vs \(theirs.maxJitterMs)")
        #expect(ours.duplicates > 0 && ours.outOfOrder > 0)
    }

    func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= max(0.05 * abs(b), Self.jitterFloorMs)
    }

    /// `host:port` without IPv6 brackets, the way tshark prints columns.
    func plain(_ e: Endpoint) -> String { "\(e.host):\(e.port ?? 0)" }
}
