import Testing
@testable import SIPCore

@Suite struct MultipartBodyTests {
    static let body = crlf(
        "preamble text",
        "--b1",
        "Content-Type: application/sdp",
        "",
        "v=0",
        "m=audio 1 RTP/AVP 0",
        "--b1",
        "Content-Type: Application/PIDF+XML",
        "Content-ID: <loc@example.com>",
        "",
        "<presence/>",
        "--b1--",
        "epilogue")

    @Test func splitsPartsAndDropsPreambleAndEpilogue() throws {
        let mp = try #require(MultipartBody(contentType: "multipart/mixed;boundary=b1", body: Self.body))
        #expect(mp.parts.count == 2)
        #expect(mp.parts[0].contentType == "application/sdp")
        #expect(mp.parts[0].body == "v=0\r\nm=audio 1 RTP/AVP 0")
        #expect(mp.parts[1].contentType == "application/pidf+xml")
        #expect(mp.parts[1].body == "<presence/>")
    }

    @Test func partOfTypeFindsByPrefix() throws {
        let mp = try #require(MultipartBody(contentType: "multipart/mixed;boundary=b1", body: Self.body))
        #expect(mp.part(ofType: "application/pidf") == "<presence/>")
        #expect(mp.part(ofType: "application/isup") == nil)
    }

    @Test func quotedBoundary() {
        #expect(MultipartBody(contentType: "multipart/mixed; boundary=\"b1\"", body: Self.body)?.parts.count == 2)
    }

    @Test func lfOnlyBody() {
        let mp = MultipartBody(contentType: "multipart/mixed;boundary=b1", body: "--b1\nContent-Type: application/sdp\n\nv=0\n--b1--\n")
        #expect(mp?.part(ofType: "application/sdp") == "v=0")
    }

    @Test func partWithoutHeadersIsTextPlain() {
        let mp = MultipartBody(contentType: "multipart/mixed;boundary=b1", body: "--b1\r\n\r\nhello\r\n--b1--\r\n")
        #expect(mp?.parts.first?.contentType == "text/plain")
        #expect(mp?.parts.first?.body == "hello")
    }

    @Test func missingCloseDelimiterKeepsLastPart() {
        let mp = MultipartBody(contentType: "multipart/mixed;boundary=b1", body: "--b1\r\nContent-Type: application/sdp\r\n\r\nv=0")
        #expect(mp?.part(ofType: "application/sdp") == "v=0")
    }

    @Test func noBoundaryParameterIsNil() {
        #expect(MultipartBody(contentType: "multipart/mixed", body: Self.body) == nil)
    }

    @Test func emptyBoundaryIsNil() {
        #expect(MultipartBody(contentType: "multipart/mixed;boundary=", body: Self.body) == nil)
    }

    @Test func boundaryNotInBodyIsNil() {
        #expect(MultipartBody(contentType: "multipart/mixed;boundary=zz", body: Self.body) == nil)
    }
}
