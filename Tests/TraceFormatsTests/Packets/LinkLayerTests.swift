import Testing
import TraceFormats

/// Every link type a SIP capture comes with, built then decoded.
@Suite struct LinkLayerTests {
    static let links: [PacketBuilder.Link] = [
        .ethernet(), .ethernet(vlans: [.init(100)]), .ethernet(vlans: [.init(10, tpid: 0x88A8), .init(20)]),
        .ethernet(vlans: [.init(1, tpid: 0x9100), .init(2, tpid: 0x88A8), .init(3)]),
        .linuxCooked, .linuxCooked2, .bsdNull(bigEndian: false), .bsdNull(bigEndian: true), .openBSDLoop,
        .raw(.raw), .raw(LinkType(rawValue: 12)), .raw(LinkType(rawValue: 14)),
    ]

    @Test(arguments: links)
    func ipv4UDPThroughEveryLink(_ link: PacketBuilder.Link) {
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: alice, to: bob, payload: bytes(sipRequest())), link: link)
        #expect(run.texts == [sipRequest()])
        #expect(run.delivered.first?.flow == FlowKey(source: alice, destination: bob))
        #expect(run.delivered.first?.transport == .udp)
        #expect(run.delivered.first?.frames == [1])
        #expect(run.decoder.counts.decoded == 1)
    }

    @Test(arguments: links)
    func ipv6UDPThroughEveryLink(_ link: PacketBuilder.Link) {
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: alice6, to: bob6, payload: bytes(sipResponse())), link: link)
        #expect(run.texts == [sipResponse()])
        #expect(run.delivered.first?.flow.source == alice6)
    }

    @Test func rawIPv4AndIPv6LinkTypes() {
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: alice, to: bob, payload: bytes("one")), link: .raw(.ipv4))
        run.feed(PacketBuilder.udp(from: alice6, to: bob6, payload: bytes("two")), link: .raw(.ipv6))
        #expect(run.texts == ["one", "two"])
    }

    @Test(arguments: [UInt32(10), 24, 28, 30])
    func everyBSDFamilyNumberForIPv6(_ family: UInt32) {
        let packet = PacketBuilder.udp(from: alice6, to: bob6, payload: bytes("x"))
        for bigEndian in [false, true] {
            var run = PacketRun()
            let header = bigEndian
                ? [UInt8(family >> 24), UInt8((family >> 16) & 0xFF), UInt8((family >> 8) & 0xFF), UInt8(family & 0xFF)]
                : [UInt8(family & 0xFF), UInt8((family >> 8) & 0xFF), UInt8((family >> 16) & 0xFF), UInt8(family >> 24)]
            run.feed(header + packet, linkType: .null)
            #expect(run.texts == ["x"], "family \(family), big-endian \(bigEndian)")
        }
    }

    @Test func openBSDLoopNumberedTwelveIsReadByItsHeader() {
        // OpenBSD's DLT_LOOP is 12: a 4-byte family, not a version nibble.
        var run = PacketRun()
        run.feed(PacketBuilder.frame(PacketBuilder.udp(from: alice, to: bob, payload: bytes("x")), link: .openBSDLoop),
                 linkType: LinkType(rawValue: 12))
        #expect(run.texts == ["x"])
    }

    @Test func llcAndARPAreSkippedQuietlyOtherEtherTypesWithAWarning() {
        var run = PacketRun()
        var llc = PacketBuilder.frame([0x42, 0x42, 0x03, 0, 0, 0], link: .ethernet())
        llc[12] = 0x00
        llc[13] = 0x26
        run.feed(llc)
        var arp = PacketBuilder.frame([UInt8](repeating: 0, count: 28), link: .ethernet())
        arp[12] = 0x08
        arp[13] = 0x06
        run.feed(arp)
        var mpls = arp
        mpls[12] = 0x88
        mpls[13] = 0x47
        run.feed(mpls)
        run.feed(mpls)
        #expect(run.delivered.isEmpty)
        #expect(run.decoder.counts[skipped: .notIP] == 4)
        #expect(run.warnings == ["2 frames of EtherType 0x8847 skipped: not IP (first: frame 3)"])
    }

    @Test func unknownLinkTypeIsCountedInOneWarning() {
        var run = PacketRun()
        for _ in 0..<312 { run.feed([1, 2, 3, 4], linkType: LinkType(rawValue: 147)) }
        #expect(run.warnings == ["312 frames with an unsupported link type (link type 147) skipped (first: frame 1)"])
        #expect(run.decoder.counts[skipped: .unknownLinkType] == 312)
        #expect(run.decoder.counts.frames == 312)
    }

    @Test func tooManyVLANTagsAreRefused() {
        var run = PacketRun()
        let tags = [PacketBuilder.VLANTag](repeating: .init(7), count: 9)
        run.feed(PacketBuilder.udp(from: alice, to: bob, payload: bytes("x")), link: .ethernet(vlans: tags))
        #expect(run.delivered.isEmpty)
        #expect(run.warnings.has("more than 8 VLAN tags"))
    }

    @Test func loopbackWithAnUnknownFamilyIsNamed() {
        var run = PacketRun()
        run.feed([7, 0, 0, 0, 0x45, 0], linkType: .null)
        #expect(run.warnings == ["1 loopback frame with address family 7 skipped: not IPv4 or IPv6 (first: frame 1)"])
    }
}

extension PacketBuilder.Link: CustomTestStringConvertible {
    public var testDescription: String { "\(self)" }
}
