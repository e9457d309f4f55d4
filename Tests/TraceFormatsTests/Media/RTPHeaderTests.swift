import Testing
import TestSupport
import TraceFormats

@Suite struct RTPHeaderTests {
    typealias B = RTPBytesBuilder

    func header(_ bytes: [UInt8]) -> RTPHeader? { bytes.withUnsafeBytes { RTPHeader($0) } }

    @Test func readsTheFixedHeader() throws {
        let h = try #require(header(B.rtp(seq: 0xABCD, ts: 0x0102_0304, ssrc: 0xDEAD_BEEF, pt: 8, marker: true, payload: 160)))
        #expect(h.sequence == 0xABCD)
        #expect(h.timestamp == 0x0102_0304)
        #expect(h.ssrc == 0xDEAD_BEEF)
        #expect(h.payloadType == 8)
        #expect(h.marker)
        #expect(h.headerLength == 12)
        #expect(h.payloadLength == 160)
    }

    @Test func csrcListExtensionAndPaddingAreSkipped() throws {
        let h = try #require(header(B.rtp(seq: 1, ts: 1, payload: 20, csrcs: [1, 2], extensionWords: 3, padding: 4)))
        #expect(h.csrcCount == 2)
        #expect(h.hasExtension)
        #expect(h.headerLength == 12 + 8 + 4 + 12)
        #expect(h.payloadLength == 20)
    }

    @Test func versionOtherThanTwoIsNotRTP() {
        var bytes = B.rtp(seq: 1, ts: 1)
        bytes[0] = 0x40
        #expect(header(bytes) == nil)
        bytes[0] = 0x00 // STUN starts with two zero bits
        #expect(header(bytes) == nil)
    }

    @Test func tooShortIsNotRTP() {
        #expect(header(Array(B.rtp(seq: 1, ts: 1).prefix(11))) == nil)
        #expect(header([]) == nil)
    }

    @Test(arguments: [200, 201, 202, 203, 204])
    func rtcpPacketTypesAreNotRTP(_ second: Int) {
        var bytes = B.rtp(seq: 1, ts: 1)
        bytes[1] = UInt8(second)
        #expect(header(bytes) == nil)
    }

    @Test func csrcCountLongerThanThePacketIsRefused() {
        var bytes = B.rtp(seq: 1, ts: 1, payload: 8)
        bytes[0] = 0x8F // 15 CSRCs = 60 bytes, only 8 follow
        #expect(header(bytes) == nil)
    }

    @Test func extensionLengthLongerThanThePacketIsRefused() {
        var bytes = B.rtp(seq: 1, ts: 1, payload: 0, extensionWords: 1)
        bytes[14] = 0xFF // extension length 0xFF01 words
        #expect(header(bytes) == nil)
    }

    @Test func paddingCountLargerThanThePayloadIsRefused() {
        var bytes = B.rtp(seq: 1, ts: 1, payload: 4, padding: 2)
        bytes[bytes.count - 1] = 40
        #expect(header(bytes) == nil)
        bytes[bytes.count - 1] = 0
        #expect(header(bytes) == nil)
    }

    @Test func unusedPayloadTypesAreFlagged() throws {
        #expect(try #require(header(B.rtp(seq: 1, ts: 1, pt: 77))).hasUnusedPayloadType)
        #expect(try #require(header(B.rtp(seq: 1, ts: 1, pt: 2))).hasUnusedPayloadType)
        #expect(!(try #require(header(B.rtp(seq: 1, ts: 1, pt: 101))).hasUnusedPayloadType))
        #expect(try #require(header(B.rtp(seq: 1, ts: 1, pt: 13))).isComfortNoise)
    }

    @Test func randomBytesNeverCrashAndNeverReadPastTheEnd() {
        var rng = SplitMix64(seed: 3550)
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...48, using: &rng)
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if n > 0, Bool.random(using: &rng) { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            if let h = header(bytes) {
                #expect(h.headerLength + h.payloadLength <= bytes.count)
            }
        }
    }
}
