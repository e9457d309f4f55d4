import Testing
@testable import Diagnosis

/// A phone on a LAN captured sending its private address to a public SBC:
/// the everyday hosted-PBX case. It must not make a healthy call read as
/// one-way audio, but the private address is worth a low-confidence note.
@Suite struct NATObservationTests {
    @Test func lanPhoneToPublicSBCStaysHealthyWithALowConfidenceNote() throws {
        let d = try Fixture.diagnose("nat-one-way-audio/near-miss-lan-phone-to-sbc.txt")
        #expect(d.verdict.family == "healthy")
        #expect(d.otherFindings.contains { $0.family == "nat-one-way-audio" && $0.headline.contains("NAT traversal") })
        let nat = try #require(try Fixture.findings("nat-one-way-audio/near-miss-lan-phone-to-sbc.txt").first { $0.family == "nat-one-way-audio" })
        #expect(nat.role == .observation)
        #expect(nat.confidence.level == .low)
    }

    @Test func theSameCallSeenFromBehindNATIsTheVerdict() throws {
        let d = try Fixture.diagnose("field-guide/one-way-audio.txt")
        #expect(d.verdict.family == "nat-one-way-audio")
        #expect(d.confidence.level == .high)
    }
}
