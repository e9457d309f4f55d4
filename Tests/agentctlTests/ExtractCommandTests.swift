import Foundation
import Testing
import TraceFormats
import TraceSynthesis

/// `agentctl extract` on a capture of two calls built from the capture
/// fixtures: one call comes out whole (SIP of every message, RTP both
/// ways), the other not at all.
@Suite struct ExtractCommandTests {
    static let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/captures")

    /// healthy.capture and one-way-audio.capture in one pcap.
    static func twoCalls(in scratch: Scratch) throws -> String {
        var packets: [SynthPacket] = []
        for name in ["healthy", "one-way-audio"] {
            packets += try CaptureFixture.packets(scriptAt: captures.appendingPathComponent("\(name).capture").path)
        }
        packets.sort { $0.timestampNanos < $1.timestampNanos }
        return try scratch.write("two-calls.pcap", CaptureComposer().pcap(packets))
    }

    @Test func extractsOneCallWithItsRTPAndNothingElse() throws {
        let scratch = try Scratch()
        let input = try Self.twoCalls(in: scratch)
        let output = input.replacingOccurrences(of: "two-calls", with: "one-call")
        let r = try AgentctlProcess.run(["extract", "--call-id", "7c2d9e4f-ow-1010@10.0.0.5", input, output])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2 RTP streams"))
        let all = try TraceLoader.load(path: input), one = try TraceLoader.load(path: output)
        let wanted = all.messages.filter { $0.message.callID == "7c2d9e4f-ow-1010@10.0.0.5" }
        #expect(one.messages.map(\.message) == wanted.map(\.message))
        #expect(one.messages.map(\.timestamp) == wanted.map(\.timestamp))
        #expect(Set(one.messages.compactMap(\.message.callID)) == ["7c2d9e4f-ow-1010@10.0.0.5"])
        let streams = try #require(one.media?.streams)
        #expect(streams.count == 2)
        for s in streams {
            let original = try #require(all.media?.streams.first { $0.ssrc == s.ssrc && $0.source == s.source && $0.destination == s.destination })
            #expect(s == original)
        }
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
    }

    /// The healthy call of the pair sends RTCP both ways: every report
    /// comes along with its RTP, and none of the other call's.
    @Test func extractCarriesTheCallsRTCP() throws {
        let scratch = try Scratch()
        let input = try Self.twoCalls(in: scratch), output = scratch.path("healthy.pcap")
        let r = try AgentctlProcess.run(["extract", "--call-id", "0a1b2c3e-clean@192.168.1.50", input, output])
        #expect(r.status == 0, "\(r.stderr)")
        let all = try TraceLoader.load(path: input), one = try TraceLoader.load(path: output)
        let reports = try #require(one.media?.rtcp)
        #expect(!reports.isEmpty)
        #expect(reports == all.media?.rtcp)
        #expect(one.media?.streams.count == 2)
    }

    @Test(.enabled(if: Self.tshark != nil, "needs tshark"))
    func tsharkReadsTheExtractBackWithTheSameCall() throws {
        let scratch = try Scratch()
        let input = try Self.twoCalls(in: scratch)
        let output = input.replacingOccurrences(of: "two-calls", with: "one-call")
        _ = try AgentctlProcess.run(["extract", "--call-id", "7c2d9e4f-ow-1010@10.0.0.5", input, output])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.tshark))
        p.arguments = ["-r", output, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let ids = text.split(separator: "\n").map(String.init)
        #expect(ids.count == 6)
        #expect(Set(ids) == ["7c2d9e4f-ow-1010@10.0.0.5"])
    }

    @Test func unknownCallIDListsTheCallsAndWritesNothing() throws {
        let scratch = try Scratch()
        let input = try Self.twoCalls(in: scratch)
        let output = input + ".out"
        let r = try AgentctlProcess.run(["extract", "--call-id", "../../etc/passwd", input, output])
        #expect(r.status == 3)
        #expect(r.stderr.contains("7c2d9e4f-ow-1010@10.0.0.5"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func refusesToOverwriteItsInput() throws {
        let scratch = try Scratch()
        let input = try Self.twoCalls(in: scratch)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let r = try AgentctlProcess.run(["extract", "--call-id", "7c2d9e4f-ow-1010@10.0.0.5", input, input])
        #expect(r.status == 2)
        #expect(r.stderr.contains("it is the capture being read"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test func textTraceIsRefusedWithTheReason() throws {
        let text = Self.captures.deletingLastPathComponent().appendingPathComponent("traces/field-guide/one-way-audio.txt").path
        let r = try AgentctlProcess.run(["extract", "--call-id", "7c2d9e4f-ow-1010@10.0.0.5", text, try Scratch().path("never.pcap")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("text trace"))
    }

    /// The call's SIP seen on two interfaces of different link types (an
    /// Ethernet trunk and a Linux cooked capture): the extract keeps both,
    /// so it must be a pcapng with two interfaces.
    @Test func framesOfTwoLinkTypesMakeAPcapng() throws {
        let trace = try TraceLoader.load(path: Self.captures.deletingLastPathComponent().appendingPathComponent("traces/field-guide/one-way-audio.txt").path)
        let packets = try CallSynthesizer(trace: trace, script: CaptureScript(trace: "")).packets()
        var writer = try PcapNGWriter()
        let eth = try writer.addInterface(.init(linkType: .ethernet, resolution: .nanoseconds))
        let sll = try writer.addInterface(.init(linkType: .linuxSLL, resolution: .nanoseconds))
        for (i, p) in packets.enumerated() {
            let link: PacketBuilder.Link = i % 2 == 0 ? .ethernet() : .linuxCooked
            try writer.append(interface: i % 2 == 0 ? eth : sll, timestampNanos: p.timestampNanos,
                              data: PacketBuilder.frame(PacketBuilder.udp(from: p.source, to: p.destination, payload: p.payload), link: link))
        }
        let scratch = try Scratch()
        let input = try scratch.write("in.pcapng", writer.bytes), output = scratch.path("out.pcap")
        let r = try AgentctlProcess.run(["extract", "--call-id", "7c2d9e4f-ow-1010@10.0.0.5", input, output])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(pcapng)"))
        let back = try TraceLoader.load(path: output)
        #expect(back.format == .pcapng)
        #expect(back.messages.map(\.message) == trace.messages.map(\.message))
    }

    static let tshark: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
}
