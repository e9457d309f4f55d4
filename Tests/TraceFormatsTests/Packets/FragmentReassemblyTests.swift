import Testing
import TraceFormats

/// IP fragments put back together, in any order, within bounds.
@Suite struct FragmentReassemblyTests {
    static let message = sipRequest(body: sdpBody + String(repeating: "a=x-padding:0123456789\r\n", count: 60))

    static func pieces(_ from: SocketAddress, _ to: SocketAddress, count: Int, id: UInt32 = 0x5EED,
                       extensions: [PacketBuilder.IPv6Extension] = []) -> [[UInt8]] {
        PacketBuilder.fragments(of: PacketBuilder.udp(from: from, to: to, payload: bytes(message), extensions: extensions),
                                count: count, identification: id)
    }

    @Test(arguments: [false, true])
    func inOrder(_ v6: Bool) {
        var run = PacketRun()
        let frags = Self.pieces(v6 ? alice6 : alice, v6 ? bob6 : bob, count: 3)
        #expect(frags.count == 3)
        for f in frags { run.feed(f, link: .ethernet()) }
        #expect(run.texts == [Self.message])
        #expect(run.delivered.first?.frames == [1, 2, 3])
        #expect(run.decoder.counts.reassembledDatagrams == 1)
        #expect(run.decoder.counts.decoded == 3)
    }

    @Test(arguments: [false, true])
    func reversed(_ v6: Bool) {
        var run = PacketRun()
        for f in Self.pieces(v6 ? alice6 : alice, v6 ? bob6 : bob, count: 4).reversed() { run.feed(f, link: .ethernet()) }
        #expect(run.texts == [Self.message])
        #expect(run.delivered.first?.frames == [1, 2, 3, 4])
        // The time is the completing fragment's.
        let lastFrameTime: Int64 = 1_700_000_000_000_000_000 + 4_000_000
        #expect(run.delivered.first?.timestampNanos == lastFrameTime)
    }

    @Test func duplicatesAreNotDelivered() {
        var run = PacketRun()
        let frags = Self.pieces(alice, bob, count: 3)
        for f in [frags[0], frags[0], frags[1], frags[1], frags[2], frags[2]] { run.feed(f, link: .ethernet()) }
        // The last duplicate starts a new datagram that never completes.
        run.finish()
        #expect(run.texts == [Self.message])
        #expect(!run.warnings.has("overlapping"))
    }

    @Test func overlapKeepsTheBytesCapturedFirst() {
        var run = PacketRun()
        let frags = Self.pieces(alice, bob, count: 2)
        var forged = frags[1]
        forged[forged.count - 1] ^= 0xFF
        run.feed(frags[1], link: .ethernet())
        run.feed(forged, link: .ethernet())
        run.feed(frags[0], link: .ethernet())
        #expect(run.texts == [Self.message])
        #expect(run.warnings.has("1 IP fragment overlapping bytes already received"))
    }

    @Test func aMissingFragmentIsNeverDelivered() {
        var run = PacketRun()
        let frags = Self.pieces(alice, bob, count: 3)
        run.feed(frags[0], link: .ethernet())
        run.feed(frags[2], link: .ethernet())
        run.finish()
        #expect(run.delivered.isEmpty)
        #expect(run.warnings.count == 1)
        #expect(run.warnings.has("1 fragmented datagram never completed"))
        #expect(run.warnings.has("(first: frame 1)"))
    }

    @Test func expiresAfterThirtySecondsOfCaptureTime() {
        var run = PacketRun()
        let frags = Self.pieces(alice, bob, count: 2)
        let t0: Int64 = 1_700_000_000_000_000_000
        run.feed(PacketBuilder.frame(frags[0]), timeNanos: t0)
        // Another datagram 31 s later pushes the first out; its last half then starts afresh.
        run.feed(PacketBuilder.frame(Self.pieces(alice, bob, count: 2, id: 7)[0]), timeNanos: t0 + 31_000_000_000)
        run.feed(PacketBuilder.frame(frags[1]), timeNanos: t0 + 31_000_000_001)
        #expect(run.delivered.isEmpty)
        #expect(run.warnings.has("1 fragmented datagram never completed"))
    }

    @Test func withinThirtySecondsItCompletes() {
        var run = PacketRun()
        let frags = Self.pieces(alice, bob, count: 2)
        let t0: Int64 = 1_700_000_000_000_000_000
        run.feed(PacketBuilder.frame(frags[0]), timeNanos: t0)
        run.feed(PacketBuilder.frame(frags[1]), timeNanos: t0 + 29_000_000_000)
        #expect(run.texts == [Self.message])
    }

    @Test func interleavedDatagramsAreKeptApart() {
        var run = PacketRun()
        let a = Self.pieces(alice, bob, count: 2, id: 1), b = Self.pieces(alice, bob, count: 2, id: 2)
        let c = Self.pieces(bob, alice, count: 2, id: 1)
        for f in [a[0], b[0], c[0], b[1], a[1], c[1]] { run.feed(f, link: .ethernet()) }
        #expect(run.delivered.map(\.frames) == [[2, 4], [1, 5], [3, 6]])
        #expect(run.delivered.last?.flow.source == bob)
    }

    @Test func ipv6FragmentAfterHopByHopAndWithDestinationOptionsInside() {
        var run = PacketRun()
        for f in Self.pieces(alice6, bob6, count: 3, extensions: [.hopByHop, .destinationOptions]).reversed() { run.feed(f, link: .linuxCooked) }
        #expect(run.texts == [Self.message])
    }

    @Test func floodStaysBounded() {
        var limits = PacketDecoder.Limits()
        limits.maxPendingDatagrams = 32
        var run = PacketRun(limits: limits)
        // 5,000 first halves that never get their second half.
        for id in 0..<5000 { run.feed(Self.pieces(alice, bob, count: 2, id: UInt32(id))[0], link: .ethernet()) }
        // A datagram sent whole among the flood still completes.
        for f in Self.pieces(bob, alice, count: 2, id: 99_999) { run.feed(f, link: .ethernet()) }
        run.finish()
        #expect(run.texts == [Self.message])
        // 5,001 first fragments went in; the whole datagram completed and 31 waited to the end.
        #expect(run.warnings.has("4969 incomplete fragmented datagrams dropped to stay within 32 pending datagrams"))
        #expect(run.warnings.has("31 fragmented datagrams never completed"))
        #expect(run.warnings.count == 2)
    }

    @Test func byteBoundDropsTheOldest() {
        var limits = PacketDecoder.Limits()
        limits.maxPendingFragmentBytes = 4096
        var run = PacketRun(limits: limits)
        for id in 0..<10 { run.feed(Self.pieces(alice, bob, count: 2, id: UInt32(id))[0], link: .ethernet()) }
        // First halves are ~900 bytes: the last four fit, the six before were dropped.
        for id in (0..<10).reversed() { run.feed(Self.pieces(alice, bob, count: 2, id: UInt32(id))[1], link: .ethernet()) }
        #expect(run.delivered.count == 4)
        #expect(run.warnings.has("incomplete fragmented datagrams dropped to stay within 1024 pending datagrams and 4096 bytes"))
    }

    @Test func datagramsOver65535BytesAreDropped() {
        // A last fragment at offset 65528 with 16 bytes would end past 65535.
        var header = PacketBuilder.udp(from: alice, to: bob, payload: [])
        let data = [UInt8](repeating: 0x41, count: 16)
        header[2] = 0
        header[3] = UInt8(20 + data.count)
        header[6] = UInt8((65528 / 8) >> 8)
        header[7] = UInt8((65528 / 8) & 0xFF)
        var run = PacketRun()
        run.feed(Array(header[..<20]) + data, link: .ethernet())
        #expect(run.warnings.has("larger than 65535 bytes dropped"))
    }
}
