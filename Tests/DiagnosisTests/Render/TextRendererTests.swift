import Diagnosis
import Testing

@Suite struct TextRendererTests {
    let failed = TextRenderer().render(RenderSamples.codecMismatch)
    let healthy = TextRenderer().render(RenderSamples.healthy)

    @Test func headlineWithResponsibleSideComesFirst() {
        let first = failed.split(separator: "\n").first.map(String.init)
        #expect(first == "Call rejected: 488 codec mismatch (G.722 offered, G.711 only) -- responsible: caller's phone")
    }

    @Test func sectionsComeInTheOrderOfTheExplanation() throws {
        let order = ["First failure: #7 488 Not Acceptable Here", "Ladder:", "Evidence:", "Suggested fix",
                     "Not shown by this trace:", "Confidence: high", "Other findings:", "Warnings:"]
        var last = failed.startIndex
        for heading in order {
            let r = try #require(failed.range(of: heading), "missing \(heading)")
            #expect(r.lowerBound > last, "\(heading) out of order")
            last = r.lowerBound
        }
    }

    @Test func evidenceCarriesMessageReferences() {
        #expect(failed.contains("  - The offer lists G.722 (payload type 9) only [#1]"))
    }

    @Test func fixStepsAreNumbered() {
        #expect(failed.contains("  1. Add G.711"))
        #expect(failed.contains("  2. Or enable transcoding"))
        #expect(failed.contains("  3. If neither"))
    }

    @Test func everyLineFitsInOneHundredColumns() {
        for line in failed.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }
    }

    @Test func healthyCallHasNoFirstFailureAndListsItsLegs() {
        #expect(healthy.hasPrefix("Call connected and ended normally\n"))
        #expect(healthy.contains("First failure: none"))
        #expect(healthy.contains("tied by same local part before @"))
        #expect(!healthy.contains("<== first failure"))
        #expect(!healthy.contains("Suggested fix")) // no steps, no empty section
    }

    @Test func severalCallsAreSeparatedByARule() {
        let both = TextRenderer().render([RenderSamples.healthy, RenderSamples.codecMismatch])
        #expect(both.contains("\n" + String(repeating: "=", count: 72) + "\n"))
        #expect(both.hasPrefix("Call connected"))
    }
}
