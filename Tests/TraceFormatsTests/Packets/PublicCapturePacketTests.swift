import Foundation
import Testing
import TraceFormats

/// The decoder on real captures published by other projects, checked
/// against what tshark 4 finds in them. The captures are not in the
/// repository: the tests skip when ../shared/fixtures/public-pcaps is absent.
@Suite struct PublicCapturePacketTests {
    static let folder = FixturePath.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/public-pcaps")

    static func available(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        /// Frames tshark shows as SIP (`-Y sip`); one message each here.
        var sip: Int
        /// UDP datagrams (`-Y udp`, reassembled ones counted once).
        var udp: Int
        var testDescription: String { file }
    }

    static let captures = [
        Expected(file: "sngrep-aaa.pcap", sip: 81, udp: 590),
        Expected(file: "SIP_CALL_RTP_G711", sip: 14, udp: 3583),
        // Ethernet, then PPPoE.
        Expected(file: "DTMFsipinfo.pcap", sip: 32, udp: 32),
        Expected(file: "rtp-protocol.pcap", sip: 9, udp: 259),
        Expected(file: "sip-rtp-g711.pcap", sip: 10, udp: 852),
        Expected(file: "speech_8k_ulaw.pcap", sip: 0, udp: 835),
        Expected(file: "h263-over-rtp.pcap", sip: 4, udp: 49),
        Expected(file: "sngrep-ipv6frag.pcap", sip: 32, udp: 32),
        Expected(file: "sngrep-ipip.pcap", sip: 4, udp: 0),
        Expected(file: "sip-over-tcp.pcap", sip: 7, udp: 68),
    ]

    @Test(.enabled(if: available("sngrep-aaa.pcap")), arguments: captures)
    func matchesTshark(_ expected: Expected) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(expected.file))
        var run = PacketRun()
        try Self.eachFrame(of: Array(data)) { bytes, linkType, time in run.feed(bytes, linkType: linkType, timeNanos: time) }
        run.finish()
        #expect(run.delivered.filter { Self.startsWithSIP($0.bytes) }.count == expected.sip)
        #expect(run.delivered.filter { $0.transport == .udp }.count == expected.udp)
        #expect(run.warnings.isEmpty)
    }

    @Test(.enabled(if: available("sngrep-ipv6frag.pcap")))
    func ipv6FragmentsCarryBothFrames() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("sngrep-ipv6frag.pcap"))
        var run = PacketRun()
        try Self.eachFrame(of: Array(data)) { bytes, linkType, time in run.feed(bytes, linkType: linkType, timeNanos: time) }
        // tshark: frame 1 is the first fragment of the INVITE in frame 2, frame 4 of the one in frame 5.
        #expect(run.delivered.prefix(3).map(\.frames) == [[1, 2], [3], [4, 5]])
        #expect(run.decoder.counts.reassembledDatagrams == 2)
    }

    static func startsWithSIP(_ b: [UInt8]) -> Bool {
        let line = String(decoding: b.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
        return line.hasPrefix("SIP/2.0 ") || line.hasSuffix(" SIP/2.0")
    }

    struct NotPcap: Error {}

    /// Just enough of classic pcap (the reader proper is another part of
    /// TraceFormats) to feed frames: both byte orders, µs and ns stamps.
    static func eachFrame(of file: [UInt8], _ body: ([UInt8], LinkType, Int64) -> Void) throws {
        guard file.count >= 24 else { throw NotPcap() }
        let magic = UInt32(file[0]) | UInt32(file[1]) << 8 | UInt32(file[2]) << 16 | UInt32(file[3]) << 24
        let little: Bool, nanos: Bool
        switch magic {
        case 0xA1B2_C3D4: (little, nanos) = (true, false)
        case 0xA1B2_3C4D: (little, nanos) = (true, true)
        case 0xD4C3_B2A1: (little, nanos) = (false, false)
        case 0x4D3C_B2A1: (little, nanos) = (false, true)
        default: throw NotPcap()
        }
        func u32(_ at: Int) -> UInt32 {
            let b = (0..<4).map { UInt32(file[at + $0]) }
            return little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24
        }
        let linkType = LinkType(rawValue: u32(20) & 0x0FFF_FFFF)
        var at = 24
        while at + 16 <= file.count {
            let length = Int(u32(at + 8))
            guard at + 16 + length <= file.count else { break }
            let time = Int64(u32(at)) * 1_000_000_000 + Int64(u32(at + 4)) * (nanos ? 1 : 1000)
            body(Array(file[(at + 16)..<(at + 16 + length)]), linkType, time)
            at += 16 + length
        }
    }
}
