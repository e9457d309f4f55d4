import Testing
import TraceFormats
@testable import Diagnosis

/// An inbound call that arrives with only the terminating side's verstat:
/// no Identity was seen, so nothing may be said about its attestation.
@Suite struct StirShakenVerstatTests {
    static let trace = """
        [09:00:00.000] CARRIER -> CORE
        INVITE sip:+14155550123@core.example.net SIP/2.0
        Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK-v1
        From: <sip:+12125550100@carrier.example.net>;tag=c1
        To: <sip:+14155550123@core.example.net>
        P-Asserted-Identity: <sip:+12125550100;verstat=TN-Validation-Passed@carrier.example.net;user=phone>
        Call-ID: verstat-only@carrier
        CSeq: 1 INVITE
        Content-Length: 0

        [09:00:01.000] CORE -> CARRIER
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK-v1
        From: <sip:+12125550100@carrier.example.net>;tag=c1
        To: <sip:+14155550123@core.example.net>;tag=k1
        Call-ID: verstat-only@carrier
        CSeq: 1 INVITE
        Content-Length: 0

        [09:00:01.050] CARRIER -> CORE
        ACK sip:+14155550123@core.example.net SIP/2.0
        Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK-v2
        From: <sip:+12125550100@carrier.example.net>;tag=c1
        To: <sip:+14155550123@core.example.net>;tag=k1
        Call-ID: verstat-only@carrier
        CSeq: 1 ACK
        Content-Length: 0

        """

    @Test func verstatWithoutIdentityIsReportedAsVerstatNotAsASignature() throws {
        let t = try TraceLoader.read(bytes: Array(Self.trace.utf8), name: "verstat")
        let d = try #require(Diagnoser().diagnoseAll(t).first)
        #expect(d.verdict.family == "healthy")
        let note = try #require(d.otherFindings.first { $0.family == "stir-shaken" })
        #expect(note.headline.contains("TN-Validation-Passed"))
        #expect(!note.headline.contains("signed"))
    }
}
