import Annotation
import Foundation
import Testing
import TestSupport

/// Text nobody would write, that somebody will: the extractor must stay
/// linear and never crash.
@Suite struct HostileTextTests {
    let extractor = CallIDExtractor()

    /// Runs `body` and fails when it takes longer than `limit` seconds:
    /// generous for a debug build on a shared two-core machine running
    /// these tests in parallel, and still far below the hours a quadratic
    /// scan of a megabyte would take.
    func within(_ limit: Double, _ body: () -> [CallIDCandidate]) -> [CallIDCandidate] {
        let start = Date()
        let result = body()
        #expect(Date().timeIntervalSince(start) < limit)
        return result
    }

    @Test(arguments: TextMarkup.allCases)
    func aMegabyteOfAtSigns(_ markup: TextMarkup) {
        let text = String(repeating: "@", count: 1 << 20)
        #expect(within(30) { extractor.candidates(in: text, markup: markup) }.isEmpty)
    }

    @Test(arguments: TextMarkup.allCases)
    func aMegabyteOfShortAddressesIsCapped(_ markup: TextMarkup) {
        var text = ""
        for k in 0..<60_000 { text += "\(k)x\(k)@h " }
        let found = within(30) { extractor.candidates(in: text, markup: markup) }
        #expect(found.count == extractor.maxCandidates)
    }

    @Test func deeplyNestedHTML() {
        let depth = 50_000
        let html = String(repeating: "<div><blockquote><b>", count: depth) + "Call-ID: 1a2b3c4d@10.0.0.1"
            + String(repeating: "</b></blockquote></div>", count: depth)
        #expect(within(30) { extractor.candidates(in: html, markup: .html) }.map(\.callID) == ["1a2b3c4d@10.0.0.1"])
    }

    @Test func unclosedTagsCommentsAndEntities() {
        for text in [String(repeating: "<a", count: 200_000), String(repeating: "<!--", count: 200_000),
                     String(repeating: "&#", count: 300_000), String(repeating: "<a href=\"", count: 100_000),
                     "<script>" + String(repeating: "x", count: 500_000), String(repeating: "&amp;", count: 200_000)] {
            _ = within(30) { extractor.candidates(in: text, markup: .html) }
        }
    }

    @Test(arguments: TextMarkup.allCases)
    func repeatedMarkersAndLinks(_ markup: TextMarkup) {
        for text in [String(repeating: "Call-ID: ", count: 100_000), String(repeating: "callid=callid=", count: 60_000),
                     String(repeating: "http://x/?callid=", count: 50_000), String(repeating: "```\n", count: 100_000),
                     String(repeating: "> ", count: 300_000), String(repeating: "`", count: 500_000),
                     String(repeating: "i:", count: 300_000), String(repeating: "\\", count: 500_000)] {
            _ = within(30) { extractor.candidates(in: text, markup: markup) }
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 9)
        let alphabet = Array("<>&;#@:=\"'`/-_.ab19 \n>x%40callid".utf8)
        for _ in 0..<200 {
            let bytes = (0..<2_000).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let text = String(decoding: bytes, as: UTF8.self)
            for markup in TextMarkup.allCases {
                for found in extractor.candidates(in: text, markup: markup) {
                    #expect(found.callID.utf8.count <= 256)
                    #expect(found.callID.utf8.filter { $0 == UInt8(ascii: "@") }.count <= 1)
                }
            }
        }
    }
}
