import Testing
import TraceFormats

/// IPv4 and IPv6 headers: options, lengths against what was captured,
/// extension headers, tunnels.
@Suite struct IPLayerTests {
    @Test func ipv4OptionsAreSteppedOver() {
        let payload = PacketBuilder.udp(from: alice, to: bob, payload: bytes("x"))
        // Rebuild with 8 bytes of options (record route, NOPs).
        let udp = Array(payload[20...])
        let packet = PacketBuilder.ipv4(from: alice.address, to: bob.address, protocol: 17, payload: udp, options: [7, 7, 4, 0, 0, 0, 0, 1])
        var run = PacketRun()
        run.feed(packet, link: .ethernet())
        #expect(run.texts == ["x"])
    }

    @Test func ethernetPaddingIsCutByTheIPLength() {
        // A 1-byte datagram is padded to the 60-byte Ethernet minimum.
        var run = PacketRun()
        run.feed(PacketBuilder.frame(PacketBuilder.udp(from: alice, to: bob, payload: bytes("x")), link: .ethernet())
                 + [UInt8](repeating: 0, count: 17))
        #expect(run.texts == ["x"])
        #expect(run.warnings.isEmpty)
    }

    @Test func snapLengthCutDeliversWhatWasCapturedAndSaysSo() {
        let frame = PacketBuilder.frame(PacketBuilder.udp(from: alice, to: bob, payload: bytes(sipRequest(body: sdpBody))))
        var run = PacketRun()
        run.feed(Array(frame[..<200]))
        #expect(run.delivered.count == 1)
        #expect(run.delivered.first?.bytes == Array(bytes(sipRequest(body: sdpBody))[..<(200 - 42)]))
        #expect(run.warnings.has("cut short by the capture's snap length"))
    }

    @Test func zeroTotalLengthFromSegmentationOffloadUsesTheFrame() {
        var packet = PacketBuilder.udp(from: alice, to: bob, payload: bytes("offloaded"))
        packet[2] = 0
        packet[3] = 0
        var run = PacketRun()
        run.feed(packet, link: .ethernet())
        #expect(run.texts == ["offloaded"])
    }

    @Test func udpLengthBoundsThePayload() {
        var packet = PacketBuilder.udp(from: alice, to: bob, payload: bytes("abcdef"))
        // Claim 3 payload bytes: the datagram ends there even though IP says more.
        packet[24] = 0
        packet[25] = 11
        var run = PacketRun()
        run.feed(packet, link: .ethernet())
        #expect(run.texts == ["abc"])
        packet[25] = 5
        run.feed(packet, link: .ethernet())
        #expect(run.decoder.counts[skipped: .malformed] == 1)
    }

    static let chains: [[PacketBuilder.IPv6Extension]] = [
        [.hopByHop], [.routing], [.destinationOptions], [.authentication], [.mobility],
        [.hopByHop, .routing, .destinationOptions],
        [.hopByHop, .destinationOptions, .routing, .authentication, .destinationOptions],
    ]

    @Test(arguments: chains)
    func ipv6ExtensionHeadersAreSteppedOver(_ chain: [PacketBuilder.IPv6Extension]) {
        var run = PacketRun()
        run.feed(PacketBuilder.udp(from: alice6, to: bob6, payload: bytes("through"), extensions: chain), link: .ethernet())
        #expect(run.texts == ["through"])
    }

    @Test func espStopsDecodingWithAWarning() {
        var run = PacketRun()
        run.feed(PacketBuilder.ipv6(from: alice6.address, to: bob6.address, nextHeader: 50, payload: [UInt8](repeating: 9, count: 40),
                                    extensions: [.hopByHop]), link: .ethernet())
        run.feed(PacketBuilder.ipv4(from: alice.address, to: bob.address, protocol: 50, payload: [1, 2, 3, 4]), link: .ethernet())
        #expect(run.delivered.isEmpty)
        #expect(run.decoder.counts[skipped: .encrypted] == 2)
        #expect(run.warnings == ["2 frames encrypted with IPsec ESP skipped (first: frame 1)"])
    }

    @Test func ahOverIPv4IsSteppedOver() {
        let udp = Array(PacketBuilder.udp(from: alice, to: bob, payload: bytes("signed"))[20...])
        let ah: [UInt8] = [17, 4] + [0, 0] + [0, 0, 0, 1] + [0, 0, 0, 1] + [UInt8](repeating: 0xA5, count: 12)
        var run = PacketRun()
        run.feed(PacketBuilder.ipv4(from: alice.address, to: bob.address, protocol: 51, payload: ah + udp), link: .ethernet())
        #expect(run.texts == ["signed"])
    }

    @Test func otherProtocolsAreCountedNotWarned() {
        var run = PacketRun()
        run.feed(PacketBuilder.ipv4(from: alice.address, to: bob.address, protocol: 1, payload: [8, 0, 0, 0]), link: .ethernet())
        run.feed(PacketBuilder.ipv6(from: alice6.address, to: bob6.address, nextHeader: 59, payload: []), link: .ethernet())
        #expect(run.decoder.counts[skipped: .otherProtocol] == 2)
        #expect(run.warnings.isEmpty)
    }

    @Test func versionNibbleMismatchIsMalformed() {
        // EtherType IPv4, version nibble 6.
        var frame = PacketBuilder.frame(PacketBuilder.udp(from: alice, to: bob, payload: bytes("x")))
        frame[14] = 0x65
        var run = PacketRun()
        run.feed(frame)
        #expect(run.decoder.counts[skipped: .malformed] == 1)
        #expect(run.warnings.has("malformed IPv4 header"))
    }

    // MARK: Tunnels

    @Test func ipInIPLikeSngrepsCapture() {
        // sngrep-ipip.pcap: SIP over TCP inside IPv4-in-IPv4 between two hosts.
        let inner = PacketBuilder.tcp(from: alice, to: bob, seq: 1000, flags: [.ack, .psh], payload: bytes(sipResponse(183)))
        var run = PacketRun()
        run.feed(PacketBuilder.ipInIP(inner, from: ip("10.15.196.229"), to: ip("10.15.193.31")), link: .ethernet())
        #expect(run.texts == [sipResponse(183)])
        #expect(run.delivered.first?.flow == FlowKey(source: alice, destination: bob))
        #expect(run.delivered.first?.transport == .tcp)
    }

    @Test func everyCombinationOfTunnelVersions() {
        var run = PacketRun()
        let inner4 = PacketBuilder.udp(from: alice, to: bob, payload: bytes("4"))
        let inner6 = PacketBuilder.udp(from: alice6, to: bob6, payload: bytes("6"))
        run.feed(PacketBuilder.ipInIP(inner4, from: ip("192.0.2.1"), to: ip("192.0.2.2")), link: .ethernet())
        run.feed(PacketBuilder.ipInIP(inner6, from: ip("192.0.2.1"), to: ip("192.0.2.2")), link: .ethernet())
        run.feed(PacketBuilder.ipInIP(inner4, from: ip("2001:db8::a"), to: ip("2001:db8::b")), link: .ethernet())
        run.feed(PacketBuilder.ipInIP(inner6, from: ip("2001:db8::a"), to: ip("2001:db8::b")), link: .ethernet())
        #expect(run.texts == ["4", "6", "4", "6"])
    }

    @Test func nestedTunnelsAreBounded() {
        var packet = PacketBuilder.udp(from: alice, to: bob, payload: bytes("deep"))
        for _ in 0..<4 { packet = PacketBuilder.ipInIP(packet, from: ip("192.0.2.1"), to: ip("192.0.2.2")) }
        var run = PacketRun()
        run.feed(packet, link: .ethernet())
        #expect(run.texts == ["deep"])
        packet = PacketBuilder.ipInIP(packet, from: ip("192.0.2.1"), to: ip("192.0.2.2"))
        run.feed(packet, link: .ethernet())
        #expect(run.texts == ["deep"])
        #expect(run.decoder.counts[skipped: .tunnelTooDeep] == 1)
        #expect(run.warnings.has("tunnels nested more than 4 deep"))
    }

    @Test func greCarriesIPWithAndWithoutAKey() {
        var run = PacketRun()
        let inner = PacketBuilder.udp(from: alice, to: bob, payload: bytes("gre"))
        run.feed(PacketBuilder.gre(inner, from: ip("192.0.2.1"), to: ip("192.0.2.2")), link: .ethernet())
        run.feed(PacketBuilder.gre(inner, from: ip("192.0.2.1"), to: ip("192.0.2.2"), key: 42), link: .ethernet())
        run.feed(PacketBuilder.gre(PacketBuilder.udp(from: alice6, to: bob6, payload: bytes("gre6")),
                                   from: ip("2001:db8::a"), to: ip("2001:db8::b")), link: .ethernet())
        #expect(run.texts == ["gre", "gre", "gre6"])
    }

    @Test func greBridgingEthernetIsOpened() {
        let ethernet = PacketBuilder.frame(PacketBuilder.udp(from: alice, to: bob, payload: bytes("bridged")), link: .ethernet(vlans: [.init(5)]))
        let gre: [UInt8] = [0, 0, 0x65, 0x58] + ethernet
        var run = PacketRun()
        run.feed(PacketBuilder.ipv4(from: ip("192.0.2.1"), to: ip("192.0.2.2"), protocol: 47, payload: gre), link: .ethernet())
        #expect(run.texts == ["bridged"])
    }
}

extension PacketBuilder.IPv6Extension: CustomTestStringConvertible {
    public var testDescription: String { "type \(type)" }
}
