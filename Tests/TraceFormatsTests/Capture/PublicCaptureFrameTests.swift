import Foundation
import Testing
import TraceFormats

/// The public captures (real files from sngrep's and sipnab's test folders)
/// read without error, frame for frame as Wireshark reads them: same count,
/// same time to the nanosecond, same captured and wire lengths. Skipped
/// when the folder or tshark is missing (they are not in the repository).
@Suite(.enabled(if: PublicCaptures.available, "needs ../shared/fixtures/public-pcaps and tshark"))
struct PublicCaptureFrameTests {
    @Test(arguments: PublicCaptures.names)
    func readsLikeWireshark(_ name: String) throws {
        let path = PublicCaptures.folder + "/" + name
        let expected = try PublicCaptures.wireshark(path)
        var reader = try CaptureReader.open(path: path)
        var got: [String] = []
        while let f = try reader.next() { got.append(PublicCaptures.line(f)) }
        #expect(!expected.isEmpty)
        #expect(got.count == expected.count)
        #expect(got == expected)
        #expect(reader.warnings.isEmpty)
        #expect(reader.bytesRead == reader.fileSize)
    }
}

/// Where the public captures and tshark are, and how tshark sees a capture.
enum PublicCaptures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/fixtures/public-pcaps").standardized.path
    static let tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { tshark != nil && FileManager.default.fileExists(atPath: folder) }

    static let names = [
        "DTMFsipinfo.pcap", "SIP_CALL_RTP_G711", "b2bua-asterisk.pcapng", "h263-over-rtp.pcap", "rtp-protocol.pcap",
        "sip-auth-failure.pcapng", "sip-over-tcp.pcap", "sip-rtp-g711.pcap", "sngrep-aaa.pcap", "sngrep-ipip.pcap",
        "sngrep-ipv6frag.pcap", "speech_8k_ulaw.pcap",
    ]

    /// One line per frame: "seconds.nanoseconds<TAB>caplen<TAB>len".
    static func wireshark(_ path: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tshark!)
        p.arguments = ["-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func line(_ f: Frame) -> String {
        let s = f.timestampNanos / 1_000_000_000, ns = f.timestampNanos % 1_000_000_000
        let frac = String(ns)
        return "\(s).\(String(repeating: "0", count: 9 - frac.count))\(frac)\t\(f.data.count)\t\(f.originalLength)"
    }
}
