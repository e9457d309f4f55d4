import Testing
import TestSupport
import TraceFormats

@Suite struct RTCPCompoundTests {
    typealias B = RTPBytesBuilder
    static let from = Endpoint(host: "10.0.0.1", port: 4001)
    static let to = Endpoint(host: "192.0.2.7", port: 30001)

    func decode(_ bytes: [UInt8]) throws(RTCPError) -> [RTCPReport] {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(RTCPError) in try RTCPCompound.reports(in: raw, time: 100, source: Self.from, destination: Self.to) }
        }
        return try result.get()
    }

    @Test func senderReportCarriesTheMiddleOfItsNTPTimestampAndItsBlocks() throws {
        let block = B.Block(ssrc: 0xAAAA_0001, fraction: 64, cumulative: 12, highest: 0x0001_0010, jitter: 80, lsr: 0x1234_5678, dlsr: 0x0002_8000)
        let reports = try decode(B.sr(ssrc: 0x5151_5151, ntpSeconds: 0xE1A2_B3C4, ntpFraction: 0xD5E6_F708, blocks: [block]) + B.sdes(ssrc: 0x5151_5151, cname: "phone@lan"))
        #expect(reports.count == 1)
        let sr = try #require(reports.first)
        #expect(sr.kind == .senderReport)
        #expect(sr.ssrc == 0x5151_5151)
        #expect(sr.ntpMiddle == 0xB3C4_D5E6)
        #expect(sr.source == Self.from && sr.destination == Self.to && sr.time == 100)
        let b = try #require(sr.blocks.first)
        #expect(b.ssrc == 0xAAAA_0001)
        #expect(b.fractionLost == 0.25)
        #expect(b.cumulativeLost == 12)
        #expect(b.highestSequence == 0x0001_0010)
        #expect(b.jitter == 80)
        #expect(b.lsr == 0x1234_5678)
        #expect(b.dlsr == 0x0002_8000)
    }

    @Test func receiverReportWithTwoBlocksAndANegativeCumulativeLoss() throws {
        let reports = try decode(B.rr(ssrc: 7, blocks: [B.Block(ssrc: 1, cumulative: -3), B.Block(ssrc: 2, cumulative: 0x7F_FFFF)]) + B.bye(ssrc: 7))
        let rr = try #require(reports.first)
        #expect(reports.count == 1)
        #expect(rr.kind == .receiverReport)
        #expect(rr.ntpMiddle == nil)
        #expect(rr.blocks.map(\.cumulativeLost) == [-3, 0x7F_FFFF])
    }

    @Test func extendedReportVoIPMetricsAfterAnotherBlock() throws {
        let voip = B.voipBlock(ssrc: 0xCAFE, loss: 13, discard: 5, rtt: 84, esd: 40, r: 78, mosLQ: 39, mosCQ: 127, jbNominal: 40, jbMax: 120)
        let reports = try decode(B.rr(ssrc: 9, blocks: []) + B.xr(ssrc: 9, blocks: [B.referenceTimeBlock(), voip]))
        #expect(reports.map(\.kind) == [.receiverReport, .extendedReport])
        let m = try #require(reports.last?.voip)
        #expect(m.ssrc == 0xCAFE)
        #expect(m.lossRatePercent == 13.0 * 100 / 256)
        #expect(m.discardRatePercent == 5.0 * 100 / 256)
        #expect(m.roundTripDelayMs == 84)
        #expect(m.endSystemDelayMs == 40)
        #expect(m.rFactor == 78)
        #expect(m.mosLQ == 3.9)
        #expect(m.mosCQ == nil) // 127: unavailable
        #expect(m.jitterBufferNominalMs == 40)
        #expect(m.jitterBufferMaximumMs == 120)
    }

    @Test func extendedReportWithoutVoIPMetricsGivesNoReport() throws {
        #expect(try decode(B.xr(ssrc: 9, blocks: [B.referenceTimeBlock()])).isEmpty)
    }

    @Test func lengthBeyondTheDatagramIsAnError() {
        var bytes = B.rr(ssrc: 7, blocks: [B.Block(ssrc: 1)])
        bytes[3] = 40
        #expect(throws: RTCPError.lengthOverrun(offset: 0, declared: 164, remaining: 32)) { try decode(bytes) }
    }

    @Test func reportCountBeyondThePacketLengthIsAnError() {
        var bytes = B.rr(ssrc: 7, blocks: [B.Block(ssrc: 1)])
        bytes[0] = 0x82 // two blocks announced, one present
        #expect(throws: RTCPError.contentOverrun(packetType: 201, offset: 0, needed: 56, available: 32)) { try decode(bytes) }
    }

    @Test func xrBlockLengthBeyondThePacketIsAnError() {
        var bytes = B.xr(ssrc: 9, blocks: [B.referenceTimeBlock()])
        bytes[11] = 9 // the block claims 40 bytes in a 20-byte packet
        #expect(throws: RTCPError.self) { try decode(bytes) }
    }

    @Test func secondPacketWithWrongVersionIsAnError() {
        var bytes = B.rr(ssrc: 7, blocks: []) + B.bye(ssrc: 7)
        bytes[8] = 0x41
        #expect(throws: RTCPError.badVersion(offset: 8, version: 1)) { try decode(bytes) }
    }

    @Test func trailingBytesShorterThanAHeaderAreAnError() {
        #expect(throws: RTCPError.truncatedHeader(offset: 8, remaining: 2)) { try decode(B.rr(ssrc: 7, blocks: []) + [0x80, 0xCB]) }
    }

    @Test func errorsSayWhatToCheck() {
        #expect(RTCPError.lengthOverrun(offset: 0, declared: 164, remaining: 32).description.contains("snap length"))
    }

    @Test func classifierWantsVersionTwoAnRTCPTypeAndAFittingLength() {
        func looks(_ b: [UInt8]) -> Bool { b.withUnsafeBytes { RTCPCompound.looksLikeRTCP($0) } }
        #expect(looks(B.rr(ssrc: 1, blocks: [])))
        #expect(!looks(B.rtp(seq: 1, ts: 1)))
        var long = B.rr(ssrc: 1, blocks: [])
        long[3] = 9
        #expect(!looks(long))
    }

    @Test func mangledCompoundPacketsNeverCrash() {
        var rng = SplitMix64(seed: 3611)
        let original = B.sr(ssrc: 1, ntpSeconds: 2, ntpFraction: 3, blocks: [B.Block(ssrc: 4)]) + B.sdes(ssrc: 1, cname: "x")
            + B.xr(ssrc: 1, blocks: [B.referenceTimeBlock(), B.voipBlock(ssrc: 4, loss: 1, discard: 1, rtt: 1, esd: 1, r: 90, mosLQ: 41, mosCQ: 41, jbNominal: 1, jbMax: 1)])
        for _ in 0..<20_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...12, using: &rng)))
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                }
                if bytes.isEmpty { bytes = [0x80] }
            }
            if let reports = try? decode(bytes) {
                #expect(reports.count <= bytes.count / 8)
            }
        }
    }
}
