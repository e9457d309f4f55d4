import Foundation
import Testing
@testable import Diagnosis

/// Every project fixture reads cleanly and gets a whole explanation: a
/// headline, at least one fix step, and no parser warnings (we wrote these
/// traces; a warning means a fixture or the parser went wrong).
/// `DUMP_FIXTURES=1 swift test --filter everyFixture` also prints each
/// verdict, for writing and reviewing tests.
@Test func everyFixtureGetsACompleteExplanationWithoutWarnings() throws {
    let dump = ProcessInfo.processInfo.environment["DUMP_FIXTURES"] != nil
    let files = FileManager.default.enumerator(atPath: Fixture.root.path)!.compactMap { $0 as? String }
        .filter { $0.hasSuffix(".txt") && !$0.hasPrefix("formats/") }.sorted()
    #expect(files.count >= 60, "found only \(files.count) fixtures under \(Fixture.root.path)")
    for f in files {
        let d = try Fixture.diagnose(f, peers: f.contains("ghost") || f.contains("participants") ? ["198.51.100.0/24=SBC"] : [])
        #expect(!d.verdict.headline.isEmpty, "\(f)")
        #expect(!d.fixSteps.isEmpty, "\(f): no fix step")
        #expect(d.warnings.isEmpty, "\(f): \(d.warnings)")
        guard dump else { continue }
        print("=== \(f): \(d.verdict.family) / \(d.verdict.outcome.rawValue) / state \(d.state.rawValue) / ff \(d.firstFailure.map { "#\($0.messageIndex) \($0.summary)" } ?? "nil")")
        print("    headline: \(d.verdict.headline)")
        if let e = d.firstFailure?.explanation { print("    explanation: \(e)") }
        for e in d.evidence { print("    ev: \(e.text)") }
        if let s = d.fixSteps.first { print("    fix1: \(s)") }
        for o in d.otherFindings { print("    other: \(o.family): \(o.headline)") }
        print("    legs: \(d.legs.map { "\($0.callID) [\($0.tiedBy ?? "-")]" }.joined(separator: "; "))")
        print("    participants: \(d.participants.map { "\($0.name)(\($0.namedBy.rawValue))" }.joined(separator: ", "))")
        print("    ladder: \(d.ladder.map { "#\($0.messageIndex) \($0.label)\($0.count > 1 ? "x\($0.count)" : "")" }.joined(separator: ", "))")
        if !d.warnings.isEmpty { print("    warnings: \(d.warnings)") }
    }
}
