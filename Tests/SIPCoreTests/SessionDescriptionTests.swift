import Testing
@testable import SIPCore

@Suite struct SessionDescriptionTests {
    static let offer = crlf(
        "v=0",
        "o=alice 2890844526 2890844527 IN IP4 10.10.1.50",
        "s=-",
        "c=IN IP4 10.10.1.50",
        "t=0 0",
        "m=audio 49170 RTP/AVP 0 8 9 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=sendrecv",
        "")

    @Test func originFields() throws {
        let o = try #require(SessionDescription(Self.offer)?.origin)
        #expect(o.username == "alice")
        #expect(o.sessionID == "2890844526")
        #expect(o.version == "2890844527")
        #expect(o.address == "10.10.1.50")
    }

    @Test func shortOriginIsIgnored() throws {
        #expect(try #require(SessionDescription("v=0\r\no=alice 1 IN IP4\r\n")).origin == nil)
    }

    @Test func sessionConnectionAddress() {
        #expect(SessionDescription(Self.offer)?.connectionAddress == "10.10.1.50")
    }

    @Test func mediaLineTypePortProtoFormats() throws {
        let m = try #require(SessionDescription(Self.offer)?.audio)
        #expect(m.type == "audio")
        #expect(m.port == 49170)
        #expect(m.proto == "RTP/AVP")
        #expect(m.formats == ["0", "8", "9", "101"])
    }

    @Test func portWithCountKeepsPort() {
        #expect(SessionDescription("v=0\r\nm=audio 49170/2 RTP/AVP 0\r\n")?.audio?.port == 49170)
    }

    @Test func rtpmapAndFmtp() throws {
        let m = try #require(SessionDescription(Self.offer)?.audio)
        #expect(m.rtpmap["101"] == "telephone-event/8000")
        #expect(m.fmtp["101"] == "0-16")
    }

    @Test func ptime() {
        #expect(SessionDescription(Self.offer)?.audio?.ptime == 20)
    }

    @Test func codecNamesUseRtpmapThenStaticTable() {
        #expect(SessionDescription(Self.offer)?.audio?.codecNames == ["PCMU", "PCMA", "G722", "telephone-event"])
    }

    @Test func unknownDynamicPayloadIsNamedByNumber() {
        #expect(SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 96\r\n")?.audio?.codecNames == ["PT96"])
    }

    @Test func dynamicCodecFromRtpmap() {
        let sdp = SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n")
        #expect(sdp?.audio?.codecNames == ["opus"])
    }

    @Test func voiceCodecsLeaveOutDTMFAndComfortNoise() {
        let sdp = SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 18 13 101\r\na=rtpmap:101 telephone-event/8000\r\n")
        #expect(sdp?.audio?.voiceCodecs == ["G729"])
    }

    @Test(arguments: [("0", "PCMU"), ("3", "GSM"), ("4", "G723"), ("8", "PCMA"), ("9", "G722"), ("13", "CN"), ("15", "G728"), ("18", "G729")])
    func staticPayloadTypes(pt: String, name: String) {
        #expect(StaticPayloadType.name(pt) == name)
    }

    @Test func unknownStaticPayloadTypeIsNil() {
        #expect(StaticPayloadType.name("96") == nil)
    }

    @Test func mediaDirectionAttribute() {
        #expect(SessionDescription(Self.offer)?.audio?.direction == .sendrecv)
    }

    @Test(arguments: [MediaDirection.sendrecv, .sendonly, .recvonly, .inactive])
    func eachMediaDirectionIsRead(_ d: MediaDirection) throws {
        let sdp = try #require(SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 0\r\na=\(d.rawValue)\r\n"))
        let m = try #require(sdp.audio)
        #expect(m.direction == d)
        #expect(sdp.direction(of: m) == d)
    }

    @Test func sendonlyIsHold() throws {
        let sdp = try #require(SessionDescription("v=0\r\nc=IN IP4 203.0.113.5\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n"))
        #expect(sdp.direction(of: try #require(sdp.audio)) == .sendonly)
    }

    @Test func sessionDirectionAppliesWhenMediaHasNone() throws {
        let sdp = try #require(SessionDescription("v=0\r\na=recvonly\r\nm=audio 4000 RTP/AVP 0\r\n"))
        #expect(sdp.sessionDirection == .recvonly)
        #expect(sdp.audio?.direction == nil)
        #expect(sdp.direction(of: try #require(sdp.audio)) == .recvonly)
    }

    @Test func mediaDirectionOverridesSession() throws {
        let sdp = try #require(SessionDescription("v=0\r\na=inactive\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n"))
        #expect(sdp.direction(of: try #require(sdp.audio)) == .sendrecv)
    }

    @Test func directionDefaultsToSendrecv() throws {
        let sdp = try #require(SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 0\r\n"))
        #expect(sdp.direction(of: try #require(sdp.audio)) == .sendrecv)
    }

    @Test func holdWithZeroAddress() throws {
        let sdp = try #require(SessionDescription("v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n"))
        #expect(sdp.connectionAddress == "0.0.0.0")
        #expect(AddressClass(sdp.address(of: try #require(sdp.audio))!) == .unspecified)
    }

    @Test func portZeroIsKept() {
        #expect(SessionDescription("v=0\r\nm=audio 0 RTP/AVP 0\r\n")?.audio?.port == 0)
    }

    @Test func mediaConnectionOverridesSession() throws {
        let sdp = try #require(SessionDescription("v=0\r\nc=IN IP4 203.0.113.5\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 192.168.1.20\r\n"))
        let m = try #require(sdp.audio)
        #expect(sdp.connectionAddress == "203.0.113.5")
        #expect(m.connectionAddress == "192.168.1.20")
        #expect(sdp.address(of: m) == "192.168.1.20")
    }

    @Test func addressFallsBackToSessionConnection() throws {
        let sdp = try #require(SessionDescription(Self.offer))
        #expect(sdp.address(of: try #require(sdp.audio)) == "10.10.1.50")
    }

    @Test func multicastTTLIsDropped() {
        #expect(SessionDescription("v=0\r\nc=IN IP4 224.2.1.1/127\r\n")?.connectionAddress == "224.2.1.1")
    }

    @Test func ipv6Connection() {
        #expect(SessionDescription("v=0\r\nc=IN IP6 2001:db8::7\r\n")?.connectionAddress == "2001:db8::7")
    }

    @Test func rtcpAttributeGivesPort() {
        let sdp = SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:53021 IN IP4 203.0.113.5\r\n")
        #expect(sdp?.audio?.rtcpPort == 53021)
    }

    @Test func rtcpMuxIsNotRtcpPort() {
        #expect(SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp-mux\r\n")?.audio?.rtcpPort == nil)
    }

    @Test func savpWithCryptoIsSecure() throws {
        let m = try #require(SessionDescription(crlf(
            "v=0", "c=IN IP4 203.0.113.5", "m=audio 4000 RTP/SAVP 0",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32", ""))?.audio)
        #expect(m.proto == "RTP/SAVP")
        #expect(m.isSecure)
        #expect(m.hasCrypto)
    }

    @Test func avpIsNotSecure() throws {
        let m = try #require(SessionDescription(Self.offer)?.audio)
        #expect(!m.isSecure)
        #expect(!m.hasCrypto)
    }

    @Test(arguments: ["RTP/SAVPF", "UDP/TLS/RTP/SAVPF", "rtp/savp"])
    func secureProfiles(_ proto: String) {
        #expect(SessionDescription("v=0\r\nm=audio 4000 \(proto) 0\r\n")?.audio?.isSecure == true)
    }

    @Test func fingerprintCountsAsCrypto() {
        #expect(SessionDescription("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256 AB:CD\r\n")?.audio?.hasCrypto == true)
    }

    @Test func severalMediaSectionsInOrder() throws {
        let sdp = try #require(SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 0\r\nm=video 4002 RTP/AVP 96\r\na=sendonly\r\n"))
        try #require(sdp.media.map(\.type) == ["audio", "video"])
        #expect(sdp.media[0].direction == nil)
        #expect(sdp.media[1].direction == .sendonly)
    }

    @Test func audioIsFirstAudioSection() {
        #expect(SessionDescription("v=0\r\nm=video 4002 RTP/AVP 96\r\nm=audio 4000 RTP/AVP 8\r\n")?.audio?.port == 4000)
    }

    @Test func noAudioSectionGivesNilAudio() {
        #expect(SessionDescription("v=0\r\nm=video 4002 RTP/AVP 96\r\n")?.audio == nil)
    }

    @Test func lfOnlyLinesParse() {
        #expect(SessionDescription("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0\n")?.audio?.port == 4000)
    }

    @Test func malformedMediaLineIsSkipped() {
        #expect(SessionDescription("v=0\r\nm=audio\r\nm=audio x RTP/AVP 0\r\n")?.media.isEmpty == true)
    }

    @Test func mediaWithoutVersionLineIsAccepted() {
        #expect(SessionDescription("m=audio 4000 RTP/AVP 0\r\n") != nil)
    }

    @Test(arguments: ["", "hello", "<xml/>", "a=sendonly\r\n"])
    func textWithoutSDPIsNil(_ text: String) {
        #expect(SessionDescription(text) == nil)
    }

    /// A port is 16 bits: a larger number is no port, and the RTCP port
    /// (`port + 1`) once overflowed on Int.max.
    @Test(arguments: ["9223372036854775807", "65536", "-1"])
    func mediaLineWithAPortPast16BitsIsRefused(_ port: String) {
        #expect(SessionDescription("v=0\r\nm=audio \(port) RTP/AVP 0\r\n")?.audio == nil)
    }

    @Test func rtcpAndPtimePast16BitsAreIgnored() {
        let m = SessionDescription("v=0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:9223372036854775807\r\na=ptime:99999999999999999999\r\n")?.audio
        #expect(m?.port == 4000)
        #expect(m?.rtcpPort == nil)
        #expect(m?.ptime == nil)
    }
}
