import Diagnosis
import Foundation
import Testing

/// The media section in the three renderers.
@Suite struct MediaRenderingTests {
    let d = RenderSamples.measured

    @Test func textTableComesAfterTheEvidenceAndBeforeTheFix() throws {
        let text = TextRenderer().render(d)
        let evidence = try #require(text.range(of: "Evidence:"))
        let media = try #require(text.range(of: "Media (RTP measured in the capture):"))
        let fix = try #require(text.range(of: "Suggested fix") ?? text.range(of: "Not shown by this trace:"))
        #expect(evidence.lowerBound < media.lowerBound && media.lowerBound < fix.lowerBound)
        #expect(text.contains("From -> To"))
        #expect(text.contains("MOS*"))
        #expect(text.contains("(* MOS: estimate)"))
    }

    @Test func textTableRowsCarryTheFigures() throws {
        let lines = TextRenderer().render(d).split(separator: "\n").map(String.init)
        let carrier = try #require(lines.first { $0.hasPrefix("  CARRIER -> CORE") })
        for figure in ["PCMU", "2870", "126", "4.2", "12.3", "36.8", "420", "59.8", "3.6"] {
            #expect(carrier.contains(figure), "\(figure) missing from \(carrier)")
        }
        // Unknown clock rate: no jitter figure rather than a zero.
        let dtmf = try #require(lines.first { $0.contains("A-PARTICIPANT") })
        #expect(dtmf.contains(" - "))
        #expect(lines.contains { $0.contains("RTCP reports loss 4.1 %") && $0.contains("round trip 84.5 ms") })
        #expect(lines.contains { $0.contains("SDP said 192.168.7.7:2222") })
    }

    @Test func everyMediaLineFitsInOneHundredColumns() {
        for line in TextRenderer().render(d).split(separator: "\n") {
            #expect(line.count <= 100, "\(line.count): \(line)")
        }
    }

    @Test func markdownHasATableWithTheEstimateLabelled() {
        let md = MarkdownRenderer().render(d)
        #expect(md.contains("**Media (RTP measured in the capture):**"))
        #expect(md.contains("| MOS (estimate) |"))
        #expect(md.contains("| CARRIER → CORE | PCMU | 2870 | 126 | 4.2 | 12.3 / 36.8 |"))
        #expect(md.components(separatedBy: "\n| ").count - 1 == 1 + d.media!.streams.count) // header and one row each
    }

    @Test func jsonCarriesTheMediaAndRoundTrips() throws {
        let json = JSONRenderer().render(d)
        #expect(json.contains("\"mosEstimate\" : 3.6"))
        #expect(json.contains("\"captureStreamCount\" : 7"))
        let back = try JSONDecoder().decode(Diagnosis.self, from: Data(json.utf8))
        #expect(back == d)
    }

    @Test func textTraceDiagnosisHasNoMediaKey() {
        #expect(!JSONRenderer().render(RenderSamples.healthy).contains("\"media\""))
        #expect(!TextRenderer().render(RenderSamples.healthy).contains("Media (RTP"))
    }
}
