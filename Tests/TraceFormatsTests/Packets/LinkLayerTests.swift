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
        var ipx = arp
        ipx[12] = 0x81
        ipx[13] = 0x37
        run.feed(ipx)
        run.feed(ipx)
        #expect(run.delivered.isEmpty)
        #expect(run.decoder.counts[skipped: .notIP] == 4)
        #expect(run.warnings == ["2 frames of EtherType 0x8137 skipped: not IP (first: frame 3)"])
    }

    /// Ethernet header with `type`, then `inner` (made by hand: PacketBuilder has no PPPoE or MPLS).
    static func ethernet(_ type: UInt16, _ inner: [UInt8]) -> [UInt8] {
        [UInt8](repeating: 2, count: 12) + [UInt8(type >> 8), UInt8(type & 0xFF)] + inner
    }

    @Test func pppoeSessionCarriesIP() {
        let v4 = PacketBuilder.udp(from: alice, to: bob, payload: bytes("over dsl"))
        let v6 = PacketBuilder.udp(from: alice6, to: bob6, payload: bytes("over dsl 6"))
        var run = PacketRun()
        run.feed(Self.ethernet(0x8864, [0x11, 0, 0x12, 0x34, 0, UInt8(v4.count + 2), 0x00, 0x21] + v4))
        run.feed(Self.ethernet(0x8864, [0x11, 0, 0x12, 0x34, 0, UInt8(v6.count + 2), 0x00, 0x57] + v6))
        // LCP echo: PPP's own traffic, skipped without a warning.
        run.feed(Self.ethernet(0x8864, [0x11, 0, 0x12, 0x34, 0, 10, 0xC0, 0x21, 9, 1, 0, 8, 0, 0, 0, 0]))
        #expect(run.texts == ["over dsl", "over dsl 6"])
        #expect(run.decoder.counts[skipped: .notIP] == 1)
        #expect(run.warnings.isEmpty)
    }

    @Test func mplsLabelStackIsSteppedOver() {
        let v4 = PacketBuilder.udp(from: alice, to: bob, payload: bytes("labelled"))
        let label: [UInt8] = [0x00, 0x01, 0x00, 0x40], bottom: [UInt8] = [0x00, 0x02, 0x01, 0x40]
        var run = PacketRun()
        run.feed(Self.ethernet(0x8847, bottom + v4))
        run.feed(Self.ethernet(0x8847, label + label + bottom + v4))
        run.feed(Self.ethernet(0x8847, [UInt8](repeating: 0, count: 40)))
        #expect(run.texts == ["labelled", "labelled"])
        #expect(run.decoder.counts[skipped: .malformed] == 1)
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
