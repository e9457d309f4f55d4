import Testing
@testable import TraceFormats

/// SDP carried by a non-SIP control protocol (MGCP) still names RTP.
@Suite struct SDPCarrierTests {
    func sdp(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBufferPointer { SDPCarrier.sdpText($0) }
    }

    @Test func mgcpCreateConnectionYieldsItsSDP() {
        let crcx = "CRCX 10511 aaln/1@cpg2 MGCP 1.0 NCS 1.0\r\nC: ABCD000068\r\nM: sendrecv\r\n\r\nv=0\r\nc=IN IP4 200.57.7.196\r\nm=audio 40362 RTP/AVP 0\r\n"
        let text = sdp(crcx)
        #expect(text?.hasPrefix("v=0\r\nc=IN IP4 200.57.7.196") == true)
    }

    @Test func payloadsWithoutABlankLineThenVersionAreNotSDP() {
        #expect(sdp("200 10511 OK\r\nI: 7c\r\n") == nil)
        #expect(sdp("NTFY 1 x MGCP 1.0\r\n\r\nO: L/hd\r\n") == nil)
        #expect(sdp("\u{80}\u{00}binary\n\nv=0") == nil)
    }

    @Test func mgcpStreamTooShortForTheHeuristicIsReportedOnceSDPNamedIt() throws {
        // Six RTP packets to the port the CRCX named: fewer than the
        // collector trusts without SDP, kept because the MGCP SDP named it.
        var packets: [[UInt8]] = []
        let gw = SocketAddress(NetAddress("200.57.7.202")!, 2427), ca = SocketAddress(NetAddress("200.57.7.196")!, 2727)
        let crcx = "CRCX 1 aaln/1@gw MGCP 1.0\r\nM: sendrecv\r\n\r\nv=0\r\nc=IN IP4 200.57.7.196\r\nm=audio 40362 RTP/AVP 8\r\n"
        packets.append(PacketBuilder.frame(PacketBuilder.udp(from: ca, to: gw, payload: Array(crcx.utf8))))
        let src = SocketAddress(NetAddress("200.57.7.202")!, 30000), dst = SocketAddress(NetAddress("200.57.7.196")!, 40362)
        for k in 0..<6 {
            let rtp: [UInt8] = [0x80, 8, 0, UInt8(k), 0, 0, UInt8(k), 0xA0, 0, 0, 0x2E, 0x3D] + [UInt8](repeating: 0xD5, count: 160)
            packets.append(PacketBuilder.frame(PacketBuilder.udp(from: src, to: dst, payload: rtp)))
        }
        let writer = try PcapWriter(linkType: .ethernet)
        for (i, p) in packets.enumerated() { try writer.append(timestampNanos: Int64(1_000_000_000 + i * 20_000_000), data: p) }
        let trace = try CaptureLoader.read(bytes: writer.bytes, name: "mgcp.pcap")
        let stream = try #require(trace.media?.streams.first)
        #expect(stream.packets == 6 && stream.ssrc == 0x2E3D)
    }
}
