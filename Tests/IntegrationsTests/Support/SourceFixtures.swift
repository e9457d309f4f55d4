import Foundation
import TraceFormats
import TraceSynthesis

/// The calls the sources' servers hold, built from the project's text
/// traces (no binary is committed): the two-leg call of legs/x-call-id.txt
/// (the B leg names the A leg in X-Call-ID) beside an unrelated call.
enum SourceFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let legA = "a0b1c2d3-legA@192.168.1.50"
    static let legB = "b2b-91e2f3a4b5@203.0.113.10"
    static let other = "7c2d9e4f-ow-1010@10.0.0.5"
    /// legs/x-call-id.txt's first INVITE: 2026-11-24 14:22:01.103 UTC.
    static let callStart = CallSynthesizer.baseDay + 14 * 3600 + 22 * 60 + 1.103

    static func legsTrace() throws -> Trace {
        try TraceLoader.load(path: path("Fixtures/traces/legs/x-call-id.txt"))
    }

    static func packets() throws -> [SynthPacket] {
        var packets = try CallSynthesizer(trace: legsTrace(), script: CaptureScript(
            trace: "", hosts: ["PHONE": "192.168.1.50", "CORE": "203.0.113.10", "CARRIER": "198.51.100.20"])).packets()
        let other = try TraceLoader.load(path: path("Fixtures/traces/field-guide/one-way-audio.txt"))
        packets += try CallSynthesizer(trace: other, script: CaptureScript(trace: "")).packets()
        return packets
    }

    /// Both calls in one pcap (nanosecond time stamps, Ethernet).
    static func pcap() throws -> [UInt8] {
        try CaptureComposer().pcap(packets())
    }

    /// Both calls in one pcapng.
    static func pcapng() throws -> [UInt8] {
        var writer = try PcapNGWriter()
        let ethernet = try writer.addInterface(.init(linkType: .ethernet, resolution: .nanoseconds))
        let composer = CaptureComposer()
        for (i, packet) in try packets().enumerated() {
            for frame in composer.frames(packet, identification: UInt16(truncatingIfNeeded: i + 1)) {
                try writer.append(interface: ethernet, timestampNanos: packet.timestampNanos, data: frame)
            }
        }
        return writer.bytes
    }
}
