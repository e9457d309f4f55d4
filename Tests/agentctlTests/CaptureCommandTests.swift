import Foundation
import Testing
import TraceFormats
import TraceSynthesis

/// The command line on captures: listing Call-IDs, a capture with RTP but
/// no SIP, a capture format it cannot read, and the capture bench.
@Suite struct CaptureCommandTests {
    static let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/captures")

    @Test func callsListsEachCallIDWithItsMessageCount() throws {
        let scratch = try Scratch()
        let pcap = try CaptureFixture.build(scriptAt: Self.captures.appendingPathComponent("hold.capture").path)
        let r = try AgentctlProcess.run(["calls", try scratch.write("hold.pcap", pcap)])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let fields = lines.first?.split(separator: " ").map(String.init) ?? []
        // 491-retry-succeeds.txt: 16 messages, the first at 14:22:01.103.
        #expect(fields == ["16", "14:22:01.103", "f1a0c009-491-ok@192.168.1.50"])
        #expect(r.stderr.contains("1 Call-ID, 16 SIP messages"))
    }

    @Test func rtpWithoutSIPShowsWhatWasMeasuredAndExitsTwo() throws {
        let scratch = try Scratch()
        var packets: [SynthPacket] = []
        let src = SocketAddress(NetAddress("10.0.0.60")!, 6000), dst = SocketAddress(NetAddress("172.20.0.30")!, 6000)
        for k in 0..<50 {
            let rtp: [UInt8] = [0x80, 0, 0, UInt8(k), 0, 0, UInt8(k >> 8), UInt8(k & 0xFF) &* 160, 0x12, 0x34, 0x56, 0x78] + [UInt8](repeating: 0xFF, count: 160)
            packets.append(SynthPacket(timestampNanos: 1_000_000_000 + Int64(k) * 20_000_000, source: src, destination: dst, payload: rtp))
        }
        let path = try scratch.write("rtp-only.pcap", CaptureComposer().pcap(packets))
        let r = try AgentctlProcess.run(["diagnose", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("holds no SIP, only RTP (1 stream)"))
        #expect(r.stderr.contains("10.0.0.60:6000 -> 172.20.0.30:6000 SSRC 0x12345678: 50 packets"))
        // A listing skips RTP unread: it must not claim there is none.
        let listed = try AgentctlProcess.run(["calls", path])
        #expect(listed.status == 2)
        #expect(listed.stderr.contains("holds no SIP message (RTP is not looked at when listing Call-IDs: agentctl diagnose measures it)"), "\(listed.stderr)")
        #expect(!listed.stderr.contains("no RTP"))
    }

    /// A filtered read of a capture with RTP keeps its streams even when it
    /// keeps no SIP: that is an unknown Call-ID (3), not RTP alone (2).
    @Test func unknownCallIDOnACaptureWithRTPListsTheCallIDsAndExitsThree() throws {
        let scratch = try Scratch()
        let pcap = try CaptureFixture.build(scriptAt: Self.captures.appendingPathComponent("one-way-audio.capture").path)
        let path = try scratch.write("one-way.pcap", pcap)
        for command in [["diagnose", path, "--call-id", "missing@x"], ["extract", "--call-id", "missing@x", path, scratch.path("out.pcap")]] {
            let r = try AgentctlProcess.run(command)
            #expect(r.status == 3, "\(command[0]): \(r.stderr)")
            #expect(r.stderr.contains("Call-ID missing@x is not in the trace") && r.stderr.contains("7c2d9e4f-ow-1010@10.0.0.5"), "\(command[0])")
            #expect(!r.stderr.contains("only RTP"), "\(command[0])")
        }
    }

    @Test func networkMonitorCaptureIsNamedAndRefused() throws {
        let scratch = try Scratch()
        let netmon = Array("GMBU".utf8) + [0x00, 0x02] + [UInt8](repeating: 0, count: 200)
        let path = try scratch.write("trace.cap", netmon)
        for command in [["diagnose", path], ["calls", path], ["extract", "--call-id", "x", path, path + ".out"]] {
            let r = try AgentctlProcess.run(command)
            #expect(r.status == 2, "\(command[0])")
            #expect(r.stderr.contains("Network Monitor"), "\(command[0]): \(r.stderr)")
        }
    }

    @Test func captureBenchPrintsTheSideBySideTable() throws {
        let r = try AgentctlProcess.run(["bench", "capture", "--size-mb", "2", "--text-mb", "1", "--runs", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("built (signalling only)") && r.stdout.contains("built (calls with RTP)") && r.stdout.contains("built (raw SIP text)"))
        #expect(r.stdout.components(separatedBy: "agentctl calls (Call-ID list)").count == 3)
        #expect(r.stdout.components(separatedBy: "agentctl diagnose --call-id").count == 4)
        #expect(r.stdout.components(separatedBy: "grep -c ID").count == 4)
        // sngrep beside tshark: timed when installed, named when not.
        #expect(r.stdout.contains("sngrep"))
        #expect(r.stdout.contains("MB/s") && r.stdout.contains("peak memory"))
        #expect(!r.stdout.contains("exited with"))
    }
}
