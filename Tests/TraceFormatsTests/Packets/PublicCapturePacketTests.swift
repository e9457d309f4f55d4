import Foundation
import Testing
import TraceFormats

/// The packet layers on real captures published by other projects, against
/// tshark run live on the same file: as many SIP payloads and as many UDP
/// datagrams (a fragmented one counted once). Skipped without tshark or
/// ../shared/fixtures/public-pcaps.
@Suite(.enabled(if: Tshark.path != nil && Tshark.publicCaptures != nil, "needs tshark and ../shared/fixtures/public-pcaps"))
struct PublicCapturePacketTests {
    struct Decoded {
        var payloads: [(transport: TransportPayload.Transport, frames: [Int], isSIP: Bool)] = []
        var warnings: [String] = []
        var reassembled = 0
    }

    static func decode(_ path: String) throws -> Decoded {
        var reader = try CaptureReader.open(path: path)
        var decoder = PacketDecoder()
        var out = Decoded()
        func take(_ p: TransportPayload) {
            out.payloads.append((p.transport, p.frames.numbers, startsWithSIP(p.payload)))
        }
        while let frame = try reader.next() { decoder.decode(frame, take) }
        decoder.finish(take)
        out.warnings = decoder.warnings
        out.reassembled = decoder.counts.reassembledDatagrams
        return out
    }

    static func startsWithSIP(_ b: UnsafeRawBufferPointer) -> Bool {
        let line = String(decoding: b.prefix(512).prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
        return line.hasPrefix("SIP/2.0 ") || line.hasSuffix(" SIP/2.0")
    }

    @Test(arguments: Tshark.publicCaptureFiles)
    func sipAndUDPCountsMatchTshark(_ file: URL) throws {
        let ours = try Self.decode(file.path)
        let sip = try Tshark.sipCallIDCounts(file.path).values.reduce(0, +)
        let udp = try Tshark.run(["-r", file.path, "-Y", "udp && !icmp && !icmpv6", "-T", "fields", "-e", "frame.number"])
            .split(separator: "\n").count
        #expect(ours.payloads.filter(\.isSIP).count == sip)
        #expect(ours.payloads.filter { $0.transport == .udp }.count == udp)
        #expect(ours.warnings.isEmpty, "\(ours.warnings)")
    }

    @Test func ipv6FragmentsCarryBothFrames() throws {
        let file = try #require(Tshark.publicCaptureFiles.first { $0.lastPathComponent == "sngrep-ipv6frag.pcap" })
        let ours = try Self.decode(file.path)
        // tshark: frame 1 is the first fragment of the INVITE in frame 2, frame 4 of the one in frame 5.
        #expect(ours.payloads.prefix(3).map(\.frames) == [[1, 2], [3], [4, 5]])
        #expect(ours.reassembled == 2)
    }
}
