import Testing
import TraceFormats

/// HEP envelopes recognised by content on any port and unwrapped.
@Suite struct HEPTests {
    static let agent = sock("192.0.2.50", 41000)
    static let t: Int64 = 1_650_000_000_123_456_000

    @Test(arguments: [UInt16(9060), 9061, 5060, 47_123])
    func hep3OnAnyPort(_ port: UInt16) {
        let hep = PacketBuilder.hep3(from: alice, to: bob, timestampNanos: Self.t, payload: bytes(sipRequest()))
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: Self.agent, to: sock("192.0.2.60", port), payload: hep), link: .ethernet())
        #expect(run.texts == [sipRequest()])
        let p = run.delivered.first
        #expect(p?.flow == FlowKey(source: alice, destination: bob))
        #expect(p?.timestampNanos == Self.t)
        #expect(p?.fromHEP == true)
        #expect(p?.transport == .udp)
        #expect(p?.frames == [1])
        #expect(run.decoder.counts.hepPayloads == 1)
    }

    @Test func hep3WithIPv6InsideAndTCPProtocol() {
        let hep = PacketBuilder.hep3(from: alice6, to: bob6, transport: .tcp, timestampNanos: Self.t, payload: bytes(sipResponse()))
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: Self.agent, to: sock("192.0.2.60", 9060), payload: hep), link: .ethernet())
        #expect(run.texts == [sipResponse()])
        #expect(run.delivered.first?.flow.source == alice6)
        #expect(run.delivered.first?.transport == .tcp)
    }

    @Test func hep3RTPIsHandedOnOtherTypesAreNot() {
        let rtp: [UInt8] = [0x80, 0x00, 0x00, 0x01] + [UInt8](repeating: 0, count: 168)
        var run = PacketRun()
        for (type, payload) in [(UInt8(4), rtp), (5, bytes("{\"rtcp\":1}")), (100, bytes("log line")), (5, bytes("{}"))] {
            let hep = PacketBuilder.hep3(from: alice, to: bob, timestampNanos: Self.t, protocolType: type, payload: payload)
            run.feed(PacketBuilder.udp(from: Self.agent, to: bob, payload: hep), link: .ethernet())
        }
        #expect(run.delivered.map(\.bytes) == [rtp])
        #expect(run.warnings == [
            "2 HEP packets of protocol type 5 skipped: only SIP (1) and RTP (4) are read (first: frame 2)",
            "1 HEP packet of protocol type 100 skipped: only SIP (1) and RTP (4) are read (first: frame 3)",
        ])
    }

    @Test func compressedPayloadIsSkippedWithAWarning() {
        let hep = PacketBuilder.hep3(from: alice, to: bob, timestampNanos: Self.t, payload: [0x1F, 0x8B, 8, 0], compressed: true)
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: Self.agent, to: bob, payload: hep), link: .ethernet())
        #expect(run.delivered.isEmpty)
        #expect(run.warnings.has("compressed payload (chunk 0x0010) skipped"))
    }

    @Test func unknownChunksAndVendorsAreSteppedOver() {
        var hep = PacketBuilder.hep3(from: alice, to: bob, timestampNanos: Self.t, payload: bytes(sipRequest()))
        // A vendor 0x0003 chunk and a generic correlation id (type 17) after the header.
        let extra: [UInt8] = [0, 3, 0, 1, 0, 9, 1, 2, 3] + [0, 0, 0, 17, 0, 10] + bytes("abcd")
        hep.insert(contentsOf: extra, at: 6)
        let total = hep.count
        hep[4] = UInt8(total >> 8)
        hep[5] = UInt8(total & 0xFF)
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: Self.agent, to: bob, payload: hep), link: .ethernet())
        #expect(run.texts == [sipRequest()])
    }

    @Test func malformedChunkLengthIsNamed() {
        var hep = PacketBuilder.hep3(from: alice, to: bob, timestampNanos: Self.t, payload: bytes(sipRequest()))
        hep[11] = 3
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: Self.agent, to: bob, payload: hep), link: .ethernet())
        #expect(run.delivered.isEmpty)
        #expect(run.warnings.has("malformed HEP header"))
    }

    @Test(arguments: [false, true])
    func hep2OnAnyPort(_ v6: Bool) {
        let (from, to) = v6 ? (alice6, bob6) : (alice, bob)
        let hep = PacketBuilder.hep2(from: from, to: to, timestampNanos: Self.t, payload: bytes(sipRequest("BYE")))
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: Self.agent, to: sock("192.0.2.60", 6060), payload: hep), link: .ethernet())
        #expect(run.texts == [sipRequest("BYE")])
        #expect(run.delivered.first?.flow == FlowKey(source: from, destination: to))
        #expect(run.delivered.first?.timestampNanos == Self.t)
        #expect(run.delivered.first?.fromHEP == true)
    }

    @Test func hep1HasNoTimeAndKeepsTheFrames() {
        let hep = PacketBuilder.hep2(from: alice, to: bob, timestampNanos: Self.t, payload: bytes(sipRequest()), version: 1)
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: Self.agent, to: bob, payload: hep), link: .ethernet(), timeNanos: 42)
        #expect(run.texts == [sipRequest()])
        #expect(run.delivered.first?.timestampNanos == 42)
    }

    @Test func bytesThatOnlyLookLikeHEP2AreLeftAlone() {
        // Version 2, family 2, protocol 17, but no SIP after the header: not HEP.
        let fake: [UInt8] = [2, 16, 2, 17] + [UInt8](repeating: 7, count: 60)
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: alice, to: bob, payload: fake), link: .ethernet())
        #expect(run.delivered.map(\.bytes) == [fake])
        #expect(run.delivered.first?.fromHEP == false)
    }

    @Test func hepFrameOfAFragmentedDatagramCarriesAllItsFrames() {
        let big = sipRequest(body: String(repeating: "a=x:0123456789abcdef\r\n", count: 120))
        let hep = PacketBuilder.hep3(from: alice, to: bob, timestampNanos: Self.t, payload: bytes(big))
        var run = PacketRun()
        for f in PacketBuilder.fragments(of: PacketBuilder.udp(from: Self.agent, to: bob, payload: hep), count: 3) {
            run.feed(f, link: .ethernet())
        }
        #expect(run.texts == [big])
        #expect(run.delivered.first?.frames == [1, 2, 3])
    }
}
