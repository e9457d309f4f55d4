import Diagnosis
import Testing

@Suite struct MarkdownRendererTests {
    let md = MarkdownRenderer().render(RenderSamples.codecMismatch)

    @Test func startsWithTheHeadlineAsAHeading() {
        #expect(md.hasPrefix("### Call rejected: 488 codec mismatch (G.722 offered, G.711 only) -- responsible: caller's phone\n"))
    }

    @Test func firstFailureIsBold() {
        #expect(md.contains("**First failure: #7 488 Not Acceptable Here**"))
    }

    @Test func ladderIsTheTextLadderInACodeBlock() throws {
        let parts = md.components(separatedBy: "```")
        #expect(parts.count == 3)
        let block = parts[1]
        let ladder = LadderLayout(participants: RenderSamples.codecMismatch.participants,
                                  rows: RenderSamples.codecMismatch.ladder).lines()
        #expect(block == "\n" + ladder.joined(separator: "\n") + "\n")
    }

    @Test func evidenceIsBulletedAndStepsNumbered() {
        #expect(md.contains("\n- The offer lists G.722 (payload type 9) only [#1]\n"))
        #expect(md.contains("\n1. Add G.711 (PCMU, PCMA) to the phone's codec list.\n"))
        #expect(md.contains("\n3. If neither"))
    }

    @Test func limitationsAndConfidenceAreShown() {
        #expect(md.contains("**Not shown by this trace:**"))
        #expect(md.contains("**Confidence:** high"))
    }

    @Test func proseFromTheTraceIsEscaped() {
        var d = RenderSamples.codecMismatch
        d.evidence = [Evidence("Contact <sip:100@10.0.0.1> has *no* port")]
        let out = MarkdownRenderer().render(d)
        #expect(out.contains("Contact &lt;sip:100@10.0.0.1&gt; has \\*no\\* port"))
    }
}
