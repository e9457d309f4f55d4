import Foundation
import Testing
@testable import Diagnosis

/// `DUMP_FIXTURES=1 swift test --filter DumpFixtures` prints every fixture's verdict, for writing and reviewing tests.
@Test(.enabled(if: ProcessInfo.processInfo.environment["DUMP_FIXTURES"] != nil))
func dumpFixtures() throws {
    let files = FileManager.default.enumerator(atPath: Fixture.root.path)!.compactMap { $0 as? String }
        .filter { $0.hasSuffix(".txt") && !$0.hasPrefix("formats/") }.sorted()
    for f in files {
        let d = try Fixture.diagnose(f, peers: f.contains("ghost") || f.contains("participants") ? ["198.51.100.0/24=SBC"] : [])
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
