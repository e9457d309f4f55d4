import Annotation
import Diagnosis
import Foundation
import Testing

@Suite struct AnnotationRendererTests {
    let renderer = AnnotationRenderer(redactor: try! Redactor(rules: RedactionRules()))
    let marker = AnnotationMarker(backend: "rt", thread: "4711", callIDs: ["x@y"], engineVersion: Diagnosis.engineVersion)
    static let roomy = 60_000

    func post(_ findings: [CallFinding], _ markup: TextMarkup, limit: Int = roomy) -> RenderedPost {
        renderer.render(findings, marker: marker, style: PostStyle(markup: markup, maxCharacters: limit))
    }

    @Test(arguments: TextMarkup.allCases)
    func aDiagnosisCarriesHeadlineFirstFailureLadderFixAndMarker(_ markup: TextMarkup) throws {
        let finding = try Samples.finding("codec-mismatch/catch.txt")
        guard case .diagnosed(let d, _) = finding.outcome else { Issue.record("not diagnosed"); return }
        let p = post([finding], markup)
        #expect(p.markup == markup)
        #expect(p.marker == marker.text)
        #expect((p.formatted == nil) == (markup == .plain))
        for body in [p.plain, p.formatted].compactMap({ $0 }) {
            #expect(body.contains(d.callID))
            #expect(body.contains("488"))
            #expect(body.contains("First failure: #"))
            #expect(body.contains("INVITE"))
            #expect(AnnotationMarker.markers(in: body) == [marker.id])
            #expect(!body.contains("Shortened"))
        }
        let fix = try #require(d.fixSteps.first)
        #expect(p.plain.contains(String(fix.prefix(20))))
    }

    @Test func plainHasNoMarkup() throws {
        let p = post([try Samples.finding("codec-mismatch/catch.txt")], .plain)
        #expect(!p.plain.contains("**"))
        #expect(!p.plain.contains("<p>"))
        #expect(!p.plain.contains("```"))
    }

    @Test func markdownPutsTheLadderInAFenceAndHTMLInPre() throws {
        let finding = try Samples.finding("codec-mismatch/catch.txt")
        let md = try #require(post([finding], .markdown).formatted)
        #expect(md.contains("### "))
        #expect(md.contains("\n```\n"))
        let html = try #require(post([finding], .html).formatted)
        #expect(html.contains("<pre>"))
        #expect(html.contains("</pre>"))
        #expect(html.contains("<h3>"))
        // The ladder's arrows are escaped inside <pre>.
        #expect(html.contains("--&gt;|"))
        #expect(!html.contains("-->|"))
    }

    @Test func textFromATraceIsEscapedInHTMLAndMarkdown() throws {
        var finding = Samples.big(rows: 3, evidence: 0)
        guard case .diagnosed(var d, let origin) = finding.outcome else { return }
        d.verdict.headline = "Rejected <script>alert(1)</script> & \"quoted\" *bold* _it_ `tick`"
        d.evidence = [Evidence("From: <sip:1001@10.0.0.1> | pipe # hash [link](http://x)")]
        finding.outcome = .diagnosed(d, origin: origin)
        let html = try #require(post([finding], .html).formatted)
        #expect(html.contains("Rejected &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("From: &lt;sip:1001@10.0.0.1&gt;"))
        let md = try #require(post([finding], .markdown).formatted)
        #expect(md.contains("\\<script\\>"))
        #expect(md.contains("\\*bold\\*"))
        #expect(md.contains("\\_it\\_"))
        #expect(md.contains("\\`tick\\`"))
        #expect(md.contains("\\| pipe"))
        #expect(md.contains("\\[link\\]"))
    }

    @Test func aCallIDWithUnderscoresStaysReadableInMarkdown() throws {
        let finding = CallFinding(callID: "a_b*c@host", outcome: .noTrace(asked: ["exports /srv"]))
        let md = try #require(post([finding], .markdown).formatted)
        #expect(md.contains("`a_b*c@host`"))
    }

    @Test func phoneNumbersAreRedactedButCallIDsAreNot() throws {
        let finding = try Samples.finding("field-guide/forbidden-403.txt")
        guard case .diagnosed(let d, _) = finding.outcome else { return }
        for markup in TextMarkup.allCases {
            let p = post([finding], markup)
            for body in [p.plain, p.formatted].compactMap({ $0 }) {
                #expect(!body.contains("5551234567"))
                #expect(body.contains(d.callID))
                for leg in d.legs { #expect(body.contains(leg.callID)) }
            }
        }
        // Length-preserving masks keep the ladder's columns: same line widths as without redaction.
        let open = AnnotationRenderer(redactor: try Redactor(rules: .none))
        let a = post([finding], .plain).plain.split(separator: "\n").map(\.count)
        let b = open.render([finding], marker: marker, style: PostStyle(markup: .plain, maxCharacters: Self.roomy)).plain.split(separator: "\n").map(\.count)
        #expect(a.count == b.count)
    }

    @Test(arguments: TextMarkup.allCases)
    func noTraceSaysWhichSourcesWereAsked(_ markup: TextMarkup) {
        let p = post([CallFinding(callID: "abc123@10.0.0.1", outcome: .noTrace(asked: ["exports /srv/exports", "Homer at http://homer:9080"]))], markup)
        for body in [p.plain, p.formatted].compactMap({ $0 }) {
            #expect(body.contains("No trace found"))
            #expect(body.contains("abc123@10.0.0.1"))
            #expect(body.contains("exports /srv/exports"))
            #expect(body.contains("Homer at http://homer:9080"))
        }
    }

    @Test(arguments: TextMarkup.allCases)
    func anUnreadableTraceSaysWhatWasWrongAndWhatToAttach(_ markup: TextMarkup) {
        let p = post([CallFinding(callID: "abc123@10.0.0.1", outcome: .unreadable(origin: "exports /srv/exports: call.bin",
                                                                                  reason: "not a pcap, pcapng or known text export (first bytes 0x504b0304, a zip archive)"))], markup)
        for body in [p.plain, p.formatted].compactMap({ $0 }) {
            #expect(body.contains("could not be read"))
            #expect(body.contains("a zip archive"))
            #expect(body.contains("pcap or pcapng"))
            #expect(body.contains("text export"))
            #expect(body.contains("call.bin"))
        }
    }

    @Test func sourcesThatFailedAreListed() {
        let p = post([CallFinding(callID: "abc123@10.0.0.1", outcome: .sourcesFailed(["Homer at http://homer:9080: connection refused"]))], .plain)
        #expect(p.plain.contains("could not be asked"))
        #expect(p.plain.contains("connection refused"))
        #expect(p.plain.contains("agentctl replay 4711 --backend rt --refetch --post"))
    }

    @Test func noSourceAtAllIsSaidSo() {
        let p = post([CallFinding(callID: "abc123@10.0.0.1", outcome: .noTrace(asked: []))], .plain)
        #expect(p.plain.contains("No trace source is configured."))
    }

    @Test func severalFindingsInOnePostInOrder() throws {
        let a = try Samples.finding("codec-mismatch/catch.txt")
        let b = CallFinding(callID: "zzz999@10.0.0.9", outcome: .noTrace(asked: ["exports /srv"]))
        let p = post([a, b], .markdown)
        let body = try #require(p.formatted)
        let first = try #require(body.range(of: a.callID))
        let second = try #require(body.range(of: "zzz999@10.0.0.9"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(body.contains("\n---\n"))
    }

    @Test(arguments: TextMarkup.allCases)
    func aLongLadderIsTrimmedWithANoteKeepingTheEssentials(_ markup: TextMarkup) throws {
        let finding = Samples.big(rows: 400, evidence: 30, failureAt: 350)
        let limit = 6_000
        let p = post([finding], markup, limit: limit)
        for body in [p.plain, p.formatted].compactMap({ $0 }) {
            #expect(body.utf8.count <= limit)
            #expect(body.contains("Call failed: 503 from the core"))
            #expect(body.contains("First failure: #351"))
            #expect(body.contains("Check the core") && body.contains("carrier") && body.contains("NOC with the Call-ID"))
            #expect(body.contains("503 Service Unavailable"))
            #expect(body.contains("ladder rows"))
            #expect(body.contains("agentctl replay 4711 --backend rt"))
            #expect(AnnotationMarker.markers(in: body) == [marker.id])
        }
        // The failure's row is still drawn, after a gap line.
        #expect(p.plain.contains("#351"))
        #expect(p.plain.contains("rows left out"))
    }

    @Test func theLadderGoesBeforeTheEvidence() throws {
        let finding = Samples.big(rows: 60, evidence: 30)
        let full = post([finding], .plain).plain.utf8.count
        // Just under the full size: rows go, every evidence line stays.
        let p = post([finding], .plain, limit: full - 200)
        #expect(p.plain.utf8.count <= full - 200)
        #expect(p.plain.contains("ladder row"))
        for k in 0..<30 { #expect(p.plain.contains("evidence line \(k):")) }
        #expect(!p.plain.contains("secondary sections"))
    }

    @Test(arguments: TextMarkup.allCases)
    func neverOverTheLimitForAnyLimitFromTheMinimumUp(_ markup: TextMarkup) throws {
        let findings = [Samples.big(rows: 120, evidence: 40, failureAt: 100), try Samples.finding("field-guide/forbidden-403.txt"),
                        CallFinding(callID: "nt1a2b3c@10.0.0.3", outcome: .noTrace(asked: ["exports /srv/exports"])),
                        CallFinding(callID: "ur1a2b3c@10.0.0.4", outcome: .unreadable(origin: "x.bin", reason: String(repeating: "bad bytes ", count: 80)))]
        var limit = AnnotationRenderer.minimumCharacters
        while limit < 40_000 {
            let p = post(findings, markup, limit: limit)
            for body in [p.plain, p.formatted].compactMap({ $0 }) {
                #expect(body.utf8.count <= limit, "limit \(limit)")
                #expect(AnnotationMarker.markers(in: body) == [marker.id], "limit \(limit)")
            }
            limit += limit < 3_000 ? 97 : 1_531
        }
    }

    @Test func atTheMinimumAFindingStillShowsItsHeadlineAndFix() {
        let p = post([Samples.big(rows: 500, evidence: 100)], .html, limit: AnnotationRenderer.minimumCharacters)
        let body = p.formatted ?? ""
        #expect(body.contains("Call failed: 503"))
        #expect(body.contains("First failure"))
        #expect(body.contains("Suggested fix"))
        #expect(body.contains("Shortened to fit"))
    }

    @Test func belowTheMinimumOnlyTheMarkerIsLeft() {
        let p = post([Samples.big(rows: 50, evidence: 10)], .markdown, limit: 80)
        #expect(p.plain == marker.text + "\n")
        #expect(p.formatted.map { $0.utf8.count <= 80 } == true)
        #expect(AnnotationMarker.markers(in: p.formatted ?? "") == [marker.id])
    }

    @Test func theSamePostForTheSameInput() throws {
        let findings = [try Samples.finding("codec-mismatch/catch.txt")]
        #expect(post(findings, .html, limit: 2_000) == post(findings, .html, limit: 2_000))
    }

    @Test func aThreadThatNeedsQuotingIsQuotedInTheReplayHint() {
        let m = AnnotationMarker(backend: "matrix", thread: "!room:localhost|$event'1", callIDs: ["x@y"], engineVersion: 3)
        let p = renderer.render([Samples.big(rows: 300, evidence: 5)], marker: m, style: PostStyle(markup: .plain, maxCharacters: 3_000))
        #expect(p.plain.contains("agentctl replay '!room:localhost|$event'\\''1' --backend matrix"))
    }
}
