import Testing
@testable import SIPCore

@Suite struct SIPMessageSDPTests {
    static let sdp = "v=0\r\no=- 1 1 IN IP4 192.168.1.20\r\ns=-\r\nc=IN IP4 192.168.1.20\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n"

    @Test func applicationSDPBody() throws {
        let m = try SIPParser.parse("SIP/2.0 200 OK\r\nContent-Type: application/sdp\r\n\r\n" + Self.sdp)
        #expect(m.sdp?.connectionAddress == "192.168.1.20")
        #expect(m.hasSDP)
    }

    @Test func compactContentTypeWithParameters() throws {
        let m = try SIPParser.parse("SIP/2.0 200 OK\r\nc: Application/SDP; charset=utf-8\r\n\r\n" + Self.sdp)
        #expect(m.sdp?.audio?.port == 5004)
    }

    @Test func unlabelledBodyStartingWithVersionIsSDP() throws {
        let m = try SIPParser.parse("SIP/2.0 200 OK\r\n...\r\n\r\n" + Self.sdp)
        #expect(m.sdp?.audio?.port == 5004)
    }

    @Test func unlabelledBodyThatIsNotSDPIsNil() throws {
        let m = try SIPParser.parse("SIP/2.0 200 OK\r\n\r\nhello\r\n")
        #expect(m.sdp == nil)
        #expect(!m.hasSDP)
    }

    @Test func otherContentTypeIsNotSDP() throws {
        let m = try SIPParser.parse("SIP/2.0 200 OK\r\nContent-Type: application/pidf+xml\r\n\r\n" + Self.sdp)
        #expect(m.sdp == nil)
    }

    @Test func emptyBodyHasNoSDP() throws {
        #expect(try SIPParser.parse("SIP/2.0 200 OK\r\nContent-Type: application/sdp\r\n\r\n").sdp == nil)
    }

    @Test func multipartBodySDPPart() throws {
        let m = try SIPParser.parse(crlf(
            "INVITE sip:+15551234567@carrier.example.net SIP/2.0",
            "Content-Type: multipart/mixed;boundary=unique-boundary-1",
            "",
            "--unique-boundary-1",
            "Content-Type: application/sdp",
            "",
            "v=0",
            "c=IN IP4 203.0.113.5",
            "m=audio 20000 RTP/AVP 0 8",
            "--unique-boundary-1",
            "Content-Type: application/isup;version=itu-t92+",
            "",
            "binaryish",
            "--unique-boundary-1--",
            ""))
        #expect(m.sdp?.connectionAddress == "203.0.113.5")
        #expect(m.sdp?.audio?.formats == ["0", "8"])
    }

    @Test func multipartWithMixedCaseBoundary() throws {
        let m = try SIPParser.parse(crlf(
            "INVITE sip:a@b SIP/2.0",
            "Content-Type: multipart/mixed; boundary=\"Part_XYZ-42\"",
            "",
            "--Part_XYZ-42",
            "Content-Type: application/sdp",
            "",
            "v=0",
            "m=audio 20000 RTP/AVP 0",
            "--Part_XYZ-42--",
            ""))
        #expect(m.sdp?.audio?.port == 20000)
    }

    @Test func multipartWithoutSDPPartIsNil() throws {
        let m = try SIPParser.parse(crlf(
            "INVITE sip:a@b SIP/2.0",
            "Content-Type: multipart/mixed;boundary=b1",
            "",
            "--b1",
            "Content-Type: application/pidf+xml",
            "",
            "<presence/>",
            "--b1--",
            ""))
        #expect(m.sdp == nil)
    }
}
