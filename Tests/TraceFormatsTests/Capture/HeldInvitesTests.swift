import Testing
@testable import TraceFormats

/// A filtered read that holds the INVITEs near the call's own gives, once
/// the window is known, what a second read with that window gives; and
/// says so when it cannot (then the caller reads again).
@Suite struct HeldInvitesTests {
    static let phone = SocketAddress(NetAddress("192.168.1.50")!, 5060)
    static let core = SocketAddress(NetAddress("203.0.113.10")!, 5060)
    static let t0: Int64 = 1_795_000_000_000_000_000
    static let second: Int64 = 1_000_000_000
    static let wanted = "wanted-0001@192.168.1.50"

    static func invite(_ callID: String, toTag: String? = nil) -> [UInt8] {
        Array(("INVITE sip:+4930123@203.0.113.10 SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-\(callID.prefix(8))\r\n"
            + "From: <sip:alice@example.com>;tag=a\r\nTo: <sip:+4930123@example.com>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
            + "Call-ID: \(callID)\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").utf8)
    }

    static func ok(_ callID: String) -> [UInt8] {
        Array(("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-\(callID.prefix(8))\r\nFrom: <sip:alice@example.com>;tag=a\r\n"
            + "To: <sip:+4930123@example.com>;tag=b\r\nCall-ID: \(callID)\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").utf8)
    }

    /// Messages at offsets from `t0` (in milliseconds), in file order.
    static func capture(_ messages: [(ms: Int64, bytes: [UInt8])]) throws -> [UInt8] {
        let writer = try PcapWriter(linkType: .ethernet, nanosecond: true)
        for (ms, bytes) in messages {
            let frame = PacketBuilder.frame(PacketBuilder.udp(from: phone, to: core, payload: bytes))
            try writer.append(timestampNanos: t0 + ms * 1_000_000, data: frame)
        }
        return writer.bytes
    }

    static var window: ClosedRange<Double> { let t = Double(t0) / 1e9; return (t - 2)...(t + 2) }

    @Test func heldInvitesInTheWindowAreWhatASecondReadKeeps() throws {
        var messages: [(ms: Int64, bytes: [UInt8])] = []
        // Calls every 300 ms from 6 s before the call asked for to 6 s after,
        // each an INVITE and its 200; and a re-INVITE (To tag) in the window.
        for k in -20...20 where k != 0 {
            let id = "other-\(k + 100)@10.0.0.\(k + 30)"
            messages += [(Int64(k) * 300, Self.invite(id)), (Int64(k) * 300 + 40, Self.ok(id))]
        }
        messages.insert((0, Self.invite(Self.wanted)), at: 40)
        messages.insert((60, Self.ok(Self.wanted)), at: 41)
        messages.insert((500, Self.invite("reinvite-1@10.0.0.9", toTag: "x")), at: 44)
        let bytes = try Self.capture(messages)
        let held = try CaptureLoader.read(bytes: bytes, name: "held.pcap", options: .init(callIDs: [Self.wanted], holdInvites: 2))
        let second = try CaptureLoader.read(bytes: bytes, name: "held.pcap", options: .init(callIDs: [Self.wanted], inviteWindow: Self.window))
        #expect(Set(held.messages.compactMap(\.message.callID)) == [Self.wanted])
        let admitted = try #require(held.heldInvites?.admitted(into: held, window: Self.window))
        #expect(admitted.messages == second.messages)
        // The INVITEs of the 13 calls within 2 s (-1.8 s ... +1.8 s), no
        // re-INVITE, nothing outside.
        #expect(admitted.messages.count == 2 + 12)
        #expect(!admitted.messages.contains { $0.message.callID == "reinvite-1@10.0.0.9" })
        #expect(admitted.messages.map(\.index) == admitted.messages.map(\.index).sorted())
        // A second read holds nothing: the window is applied by the read.
        #expect(second.heldInvites == nil)
    }

    @Test func anInviteLetGoInsideTheWindowSendsTheCallerBackToTheFile() throws {
        // A merged capture: an INVITE at +1 s, then time runs on to +10 s,
        // which lets the first go as old, then the call asked for at 0 s,
        // whose window holds the INVITE let go: only a second read can
        // place it.
        let messages: [(ms: Int64, bytes: [UInt8])] = [(1_000, Self.invite("stray-1@10.0.0.2")), (10_000, Self.invite("late-1@10.0.0.1")),
                                                        (0, Self.invite(Self.wanted)), (60, Self.ok(Self.wanted))]
        let bytes = try Self.capture(messages)
        let held = try CaptureLoader.read(bytes: bytes, name: "merged.pcap", options: .init(callIDs: [Self.wanted], holdInvites: 2))
        #expect(held.heldInvites?.admitted(into: held, window: Self.window) == nil)
        let second = try CaptureLoader.read(bytes: bytes, name: "merged.pcap", options: .init(callIDs: [Self.wanted], inviteWindow: Self.window))
        #expect(second.messages.contains { $0.message.callID == "stray-1@10.0.0.2" })
        // A window that misses the INVITE let go is applied as held.
        let t = Double(Self.t0) / 1e9
        let early = (t - 2)...(t + 0.5)
        let narrow = try #require(held.heldInvites?.admitted(into: held, window: early))
        let read = try CaptureLoader.read(bytes: bytes, name: "merged.pcap", options: .init(callIDs: [Self.wanted], inviteWindow: early))
        #expect(narrow.messages == read.messages)
    }

    @Test func rtpInTheCaptureMeansReadingAgain() throws {
        // The held INVITEs' SDP could name RTP streams differently; a
        // second read is the only exact answer.
        var messages: [(ms: Int64, bytes: [UInt8])] = [(0, Self.invite(Self.wanted)), (60, Self.ok(Self.wanted))]
        messages.append((100, [0x80, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0, 0, 0, 1] + [UInt8](repeating: 0xFF, count: 160)))
        messages.append((900, Self.invite("other-1@10.0.0.1")))
        let bytes = try Self.capture(messages)
        let held = try CaptureLoader.read(bytes: bytes, name: "rtp.pcap", options: .init(callIDs: [Self.wanted], holdInvites: 2))
        #expect(held.heldInvites != nil)
        #expect(held.heldInvites?.admitted(into: held, window: Self.window) == nil)
    }

    @Test func pastTheCapNothingIsHeldAndTheCallerReadsAgain() {
        // INVITEs all within the window of a kept one (a Call-ID reused all
        // day would do the same), more bytes than the cap.
        var held = HeldInvites(margin: 2)
        held.keptInvite(at: Self.t0)
        let big = [UInt8](repeating: 0x41, count: 1 << 20)
        let place = HeldInvites.Place(index: 1, flow: FlowKey(source: Self.phone, destination: Self.core), transport: .udp, frames: .one(1))
        big.withUnsafeBufferPointer { buf in
            for k in 0..<(HeldInvites.maxHeldBytes >> 20) { held.hold(buf, nanos: Self.t0 + Int64(k), place: place) }
        }
        #expect(!held.spoiled)
        big.withUnsafeBufferPointer { held.hold($0, nanos: Self.t0, place: place) }
        #expect(held.spoiled)
        let trace = Trace(format: .pcap, messages: [])
        #expect(held.admitted(into: trace, window: Self.window) == nil)
    }
}
