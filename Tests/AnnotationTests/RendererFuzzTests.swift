import Annotation
import Diagnosis
import Testing
import TestSupport

/// Findings full of text no trace should hold, at limits from the minimum
/// up: the post never passes the limit, carries exactly its marker, and
/// its HTML holds no tag but the renderer's own.
@Suite struct RendererFuzzTests {
    static let alphabet: [Character] = Array("ab<>&\"'`*_|[]()#-+.:;@/\\ \n\t01+49301234567x~=!é😀\u{200B}")

    static func junk(_ rng: inout SplitMix64, _ maxLength: Int) -> String {
        String((0..<Int(rng.next() % UInt64(maxLength + 1))).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    static func finding(_ rng: inout SplitMix64) -> CallFinding {
        let callID = "fz\(rng.next() % 100_000)@10.0.0.1"
        switch rng.next() % 4 {
        case 0: return CallFinding(callID: callID, outcome: .noTrace(asked: (0..<Int(rng.next() % 3)).map { _ in junk(&rng, 80) }))
        case 1: return CallFinding(callID: callID, outcome: .unreadable(origin: junk(&rng, 60), reason: junk(&rng, 300)))
        case 2: return CallFinding(callID: callID, outcome: .sourcesFailed((0..<Int(rng.next() % 3)).map { _ in junk(&rng, 80) }))
        default:
            var base = Samples.big(rows: Int(rng.next() % 80), evidence: Int(rng.next() % 20), callID: callID)
            guard case .diagnosed(var d, _) = base.outcome else { return base }
            d.verdict.headline = junk(&rng, 200)
            d.verdict.responsibleSide = junk(&rng, 30)
            d.firstFailure?.explanation = junk(&rng, 400)
            d.evidence = d.evidence.map { Evidence($0.text + junk(&rng, 60), messages: $0.messageIndices) }
            d.fixSteps = (0..<Int(rng.next() % 5)).map { _ in junk(&rng, 150) }
            d.warnings = (0..<Int(rng.next() % 3)).map { _ in junk(&rng, 50) }
            d.participants[0].name = junk(&rng, 12)
            base.outcome = .diagnosed(d, origin: junk(&rng, 50))
            return base
        }
    }

    static let ownTags = ["<h3>", "</h3>", "<p>", "</p>", "<b>", "</b>", "<code>", "</code>", "<ul>", "</ul>", "<ol>", "</ol>",
                          "<li>", "</li>", "<pre>", "</pre>", "<hr>"]

    @Test func postsOfJunkStayWithinTheLimitAndWellFormed() {
        var rng = SplitMix64(seed: 42)
        let renderer = AnnotationRenderer(redactor: try! Redactor(rules: RedactionRules()))
        for round in 0..<60 {
            let findings = (0..<(1 + Int(rng.next() % 3))).map { _ in Self.finding(&rng) }
            let marker = AnnotationMarker(backend: "rt", thread: "t\(round)", callIDs: findings.map(\.callID), engineVersion: 3)
            let limit = AnnotationRenderer.minimumCharacters + Int(rng.next() % 12_000)
            for markup in TextMarkup.allCases {
                let p = renderer.render(findings, marker: marker, style: PostStyle(markup: markup, maxCharacters: limit))
                for body in [p.plain, p.formatted].compactMap({ $0 }) {
                    #expect(body.utf8.count <= limit, "round \(round) \(markup)")
                    #expect(AnnotationMarker.markers(in: body).contains(marker.id), "round \(round) \(markup)")
                }
                if markup == .html, let html = p.formatted {
                    var rest = Substring(html)
                    while let lt = rest.firstIndex(of: "<") {
                        let tail = rest[lt...]
                        #expect(Self.ownTags.contains { tail.hasPrefix($0) }, "round \(round): \(tail.prefix(30))")
                        rest = rest[rest.index(after: lt)...]
                    }
                    #expect(html.components(separatedBy: "<pre>").count == html.components(separatedBy: "</pre>").count)
                }
            }
        }
    }
}
