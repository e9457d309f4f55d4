import Foundation
import Testing
import TestSupport
import TraceFormats

/// The whole capture path at once (reader, packet layers, SIP by content,
/// media), on captures built here: what each layer's own tests cannot show.
@Suite struct CaptureLoaderTests {
    static let phone = SocketAddress(NetAddress("192.168.1.50")!, 5060)
    static let core = SocketAddress(NetAddress("203.0.113.10")!, 5060)

    static func invite(_ callID: String = "loader-1@192.168.1.50", extra: String = "") -> [UInt8] {
        Array(("INVITE sip:bob@203.0.113.10 SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-1\r\nFrom: <sip:alice@example.com>;tag=a\r\n"
            + "To: <sip:bob@example.com>\r\nCall-ID: \(callID)\r\nCSeq: 1 INVITE\r\n\(extra)Content-Length: 0\r\n\r\n").utf8)
    }

    static func ok(_ callID: String = "loader-1@192.168.1.50") -> [UInt8] {
        Array(("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-1\r\nFrom: <sip:alice@example.com>;tag=a\r\n"
            + "To: <sip:bob@example.com>;tag=b\r\nCall-ID: \(callID)\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").utf8)
    }

    @Test func hepOnAnyPortGivesTheInnerAddressesAndTime() throws {
        let agent = SocketAddress(NetAddress("10.9.9.9")!, 40000)
        let writer = try PcapWriter(linkType: .ethernet, nanosecond: true)
        for (port, t) in [(UInt16(9060), Int64(1_795_000_000_000_000_000)), (5099, 1_795_000_001_000_000_000)] {
            let hep = PacketBuilder.hep3(from: Self.phone, to: Self.core, timestampNanos: t, payload: Self.invite("hep-\(port)@x"))
            let frame = PacketBuilder.frame(PacketBuilder.udp(from: agent, to: SocketAddress(NetAddress("10.9.9.1")!, port), payload: hep))
            try writer.append(timestampNanos: t + 5_000_000, data: frame)
        }
        let trace = try CaptureLoader.read(bytes: writer.bytes, name: "hep.pcap")
        #expect(trace.messages.map(\.message.callID) == ["hep-9060@x", "hep-5099@x"])
        for m in trace.messages {
            #expect(m.source == Endpoint(host: "192.168.1.50", port: 5060))
            #expect(m.destination == Endpoint(host: "203.0.113.10", port: 5060))
        }
        // The agent's time, not the frame's (5 ms later).
        #expect(trace.messages.first?.timestamp == 1_795_000_000)
    }

    @Test func sipOverTCPSplitAndCoalescedComesOutWholeWithItsFrames() throws {
        let writer = try PcapWriter(linkType: .ethernet)
        let both = Self.invite() + Self.ok("loader-2@192.168.1.50")
        let cut = 150
        var seq: UInt32 = 1000
        for (i, piece) in [Array(both[..<cut]), Array(both[cut...])].enumerated() {
            let segment = PacketBuilder.tcp(from: Self.phone, to: Self.core, seq: seq, payload: piece)
            try writer.append(timestampNanos: Int64(1_795_000_000_000_000_000 + i * 1_000_000), data: PacketBuilder.frame(segment))
            seq &+= UInt32(piece.count)
        }
        let trace = try CaptureLoader.read(bytes: writer.bytes, name: "tcp.pcap")
        #expect(trace.messages.map(\.message.callID) == ["loader-1@192.168.1.50", "loader-2@192.168.1.50"])
        #expect(trace.messages.map(\.transport) == ["TCP", "TCP"])
        #expect(trace.messages.first?.frames == [1, 2])
        #expect(trace.messages.last?.frames == [2])
    }

    @Test func pcapngWithTwoLinkTypesAndAFragmentedMessage() throws {
        var writer = try PcapNGWriter()
        let eth = try writer.addInterface(.init(linkType: .ethernet, resolution: .nanoseconds))
        let sll = try writer.addInterface(.init(linkType: .linuxSLL, resolution: .microseconds))
        let big = Self.invite(extra: "X-Padding: " + String(repeating: "p", count: 3000) + "\r\n")
        let packet = PacketBuilder.udp(from: Self.phone, to: Self.core, payload: big, identification: 7)
        for (i, f) in PacketBuilder.fragments(of: packet, count: 3).reversed().enumerated() {
            try writer.append(interface: eth, timestampNanos: 1_795_000_000_000_000_000 + Int64(i), data: PacketBuilder.frame(f))
        }
        try writer.append(interface: sll, timestampNanos: 1_795_000_000_100_000_000,
                          data: PacketBuilder.frame(PacketBuilder.udp(from: Self.core, to: Self.phone, payload: Self.ok()), link: .linuxCooked))
        let trace = try CaptureLoader.read(bytes: writer.bytes, name: "two.pcapng")
        #expect(trace.format == .pcapng)
        #expect(trace.messages.count == 2)
        #expect(trace.messages.first?.message["x-padding"]?.count == 3000)
        #expect(Set(trace.messages.first?.frames ?? []) == [1, 2, 3])
        #expect(trace.messages.last?.message.statusCode == 200)
        #expect(trace.warnings.isEmpty)
    }

    /// Asked for a call a REGISTER-only capture does not hold, the loader
    /// keeps nothing but must still say what it holds, not "no SIP".
    @Test func filteredReadThatKeepsNothingStillNamesTheCallIDs() throws {
        let register = "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-r\r\nFrom: <sip:a@example.com>;tag=1\r\n"
            + "To: <sip:a@example.com>\r\nCall-ID: reg-1@192.168.1.50\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n"
        let writer = try PcapWriter(linkType: .ethernet)
        try writer.append(timestampNanos: 1_795_000_000_000_000_000,
                          data: PacketBuilder.frame(PacketBuilder.udp(from: Self.phone, to: Self.core, payload: Array(register.utf8))))
        let trace = try CaptureLoader.read(bytes: writer.bytes, name: "reg.pcap", options: .init(callIDs: ["other@x"]))
        #expect(trace.messages.isEmpty)
        #expect(trace.skippedCallIDs == ["reg-1@192.168.1.50"])
    }

    @Test func captureWithNeitherSIPNorRTPSaysWhatToCheck() throws {
        let writer = try PcapWriter(linkType: .ethernet)
        try writer.append(timestampNanos: 1_795_000_000_000_000_000,
                          data: PacketBuilder.frame(PacketBuilder.udp(from: Self.phone, to: Self.core, payload: Array("hello".utf8))))
        #expect {
            try CaptureLoader.read(bytes: writer.bytes, name: "dns.pcap")
        } throws: { error in
            guard case .noMessages(.pcap, let detail) = error as? TraceError else { return false }
            return detail == "dns.pcap holds no SIP message and no RTP; check the capture filter, or whether SIP ran over TLS, which cannot be read"
        }
    }

    /// Mangled captures through the whole path (not only one layer):
    /// every one is read or refused with a capture error, none crashes.
    @Test func mangledCapturesAreReadOrRefusedNeverCrash() throws {
        let writer = try PcapWriter(linkType: .ethernet)
        for i in 0..<20 {
            let payload = i % 2 == 0 ? Self.invite("fuzz-\(i)@x") : [0x80, 0, 0, UInt8(i), 0, 0, 0, UInt8(i), 1, 2, 3, 4] + [UInt8](repeating: 0xFF, count: 160)
            try writer.append(timestampNanos: Int64(1_795_000_000_000_000_000 + i * 20_000_000),
                              data: PacketBuilder.frame(PacketBuilder.udp(from: Self.phone, to: Self.core, payload: payload)))
        }
        let clean = writer.bytes
        var rng = SplitMix64(seed: 3_2026)
        var read = 0, refused = 0
        for _ in 0..<1_500 {
            var bytes = clean
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng)))
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                }
                if bytes.isEmpty { bytes = [0] }
            }
            do {
                _ = try TraceLoader.read(bytes: bytes, name: "fuzz.pcap")
                read += 1
            } catch {
                refused += 1
            }
        }
        #expect(read > 0 && refused > 0)
    }
}
