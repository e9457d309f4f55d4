import Foundation
import Testing
import TraceFormats
@testable import Diagnosis

/// Inputs that once stopped the process (Fixtures/fuzz/regressions, whose
/// README says what each one trapped on): each is read, diagnosed and
/// rendered in all three formats, and the figure that trapped comes out
/// as text.
@Suite struct FuzzRegressionTests {
    static let root = Fixture.root.deletingLastPathComponent().appendingPathComponent("fuzz/regressions")
    static let traces = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
        .filter { $0.hasSuffix(".txt") }.sorted()

    static func diagnoses(_ name: String) throws -> [Diagnosis] {
        Diagnoser().diagnoseAll(try TraceLoader.load(path: root.appendingPathComponent(name).path))
    }

    static func rendered(_ d: Diagnosis) -> (text: String, markdown: String, json: String) {
        (TextRenderer().render(d), MarkdownRenderer().render(d), JSONRenderer().render(d))
    }

    @Test func everyRegressionInputIsHere() {
        #expect(Self.traces.count >= 6, "found \(Self.traces) in \(Self.root.path)")
    }

    @Test(arguments: traces)
    func regressionInputIsDiagnosedAndRenderedInEveryFormat(_ name: String) throws {
        let all = try Self.diagnoses(name)
        #expect(all.count == 1, "\(name): \(all.map(\.callID))")
        for d in all {
            let (text, markdown, json) = Self.rendered(d)
            #expect(text.contains(d.verdict.headline))
            #expect(markdown.contains(d.verdict.headline))
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(object?["callID"] as? String == d.callID, "\(name): JSON names another call")
        }
    }

    /// The issue's own input: `JI=1e300` trapped in `Figure.text`.
    @Test func jitterOf1e300IsPrintedAsTheEndpointSentIt() throws {
        let d = try #require(try Self.diagnoses("rtp-stat-jitter-1e300.txt").first)
        #expect(d.verdict.family == "call-quality")
        let jitter = d.evidence.map(\.text).first { $0.contains("jitter") }
        #expect(jitter?.contains("jitter 1e+300 ms") == true, "\(d.evidence.map(\.text))")
        #expect(Self.rendered(d).text.contains("1e+300"))
    }

    /// Counts past 32 bits are no RTP counters: dropped, so `lost + got`
    /// cannot overflow; NaN and inf are no figures.
    @Test func rtpStatCountsPast32BitsAndNonFiniteFiguresAreDropped() throws {
        // Nothing usable left: no report at all.
        #expect(RTPStatReport(header: "X-RTP-Stat", value: "PS=100;PR=9223372036854775807;PL=9223372036854775807;JI=nan;LA=inf") == nil)
        let r = try #require(RTPStatReport(header: "X-RTP-Stat", value: "PS=100;PR=9223372036854775807;PL=-9223372036854775808;JI=20;LA=inf;DU=99999999999999999999"))
        #expect(r.packetsReceived == nil && r.packetsLost == nil && r.durationSeconds == nil)
        #expect(r.jitterMs == 20 && r.latencyMs == nil)
        #expect(r.packetsSent == 100)
        let big = try #require(RTPStatReport(header: "X-RTP-Stat", value: "PR=2147483647;PL=2147483647"))
        #expect(big.lossPercent == 50)
    }

    /// Expires past 2^32-1 is read as 2^32-1 (RFC 3261 20.19): asked
    /// Int.max and granted Int.max - 1 once trapped in `granted * 8 / 10`.
    @Test func expiresPast32BitsIsReadAsTheMaximum() throws {
        let trace = try TraceLoader.load(path: Self.root.appendingPathComponent("expires-int-max.txt").path)
        let register = try #require(trace.messages.first?.message)
        #expect(RegistrationRule.expiry(register, contactOf: nil)?.seconds == 4_294_967_295)
        let d = try #require(try Self.diagnoses("expires-int-max.txt").first)
        #expect(d.verdict.outcome == .healthy, "\(d.verdict.headline)")
    }

    /// A signer's `iat` of Int.min on an epoch-dated trace: the stale
    /// PASSporT check printed `Int(abs(t - Double(iat)))`, past Int.max.
    @Test func iatOfIntMinIsReportedAsStale() throws {
        let d = try #require(try Self.diagnoses("identity-iat-int-min.txt").first)
        let texts = (d.evidence.map(\.text) + d.otherFindings.map(\.headline)).joined(separator: "\n")
        #expect(texts.contains("iat -9223372036854775808,"), "\(texts)")
        #expect(texts.contains("(iat 9.223372038650307e+18 s off the send time)"), "\(texts)")
    }

    /// `m=audio 9223372036854775807`: with the capture's media, the RTCP
    /// port `port + 1` overflowed; the line is no m-line now.
    @Test func sdpPortPast16BitsIsIgnoredWhenTyingMedia() throws {
        var trace = try TraceLoader.load(path: Self.root.appendingPathComponent("sdp-port-int-max.txt").path)
        trace.media = MediaCapture()
        let d = try Fixture.diagnose(trace)
        #expect(!d.verdict.headline.isEmpty)
    }

    @Test func contentLengthOfIntMaxIsAWarningNotATrap() throws {
        let d = try #require(try Self.diagnoses("content-length-int-max.txt").first)
        #expect(d.warnings.contains { $0.contains("Content-Length says 9223372036854775807 bytes") }, "\(d.warnings)")
    }
}
