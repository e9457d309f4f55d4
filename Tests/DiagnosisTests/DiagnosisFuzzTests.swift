import Foundation
import Testing
import TestSupport
import TraceFormats
@testable import Diagnosis

/// Traces no one on the team wrote: the rule fixtures, mangled at random
/// (seeded, so a failure repeats), must still be diagnosed and rendered.
/// A crash fails the run; every diagnosis must carry a headline.
@Suite struct DiagnosisFuzzTests {
    static let fixtures = ["first-failure/auth-second-challenge.txt", "first-failure/failover.txt",
                           "first-failure/200-no-ack.txt", "stir-shaken/catch.txt", "nat-one-way-audio/catch.txt",
                           "registration/catch.txt", "session-timer/catch.txt", "call-quality/catch.txt",
                           "ghost-call/catch.txt", "codec-mismatch/catch-srtp.txt"]

    /// Bytes that matter to SIP's syntax, for insertions.
    static let alphabet = Array(" \r\n:;<>@=0.".utf8)

    @Test(arguments: fixtures)
    func mangledTraceIsDiagnosedAndRendered(_ name: String) throws {
        let original = Array(try #require(FileManager.default.contents(atPath: Fixture.path(name))))
        var rng = SplitMix64(seed: UInt64(name.utf8.count))
        func next(_ n: Int) -> Int { Int.random(in: 0..<max(n, 1), using: &rng) }
        for _ in 0..<100 {
            var bytes = original
            for _ in 0..<(1 + next(10)) where !bytes.isEmpty {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes.removeSubrange(at..<min(bytes.count, at + 1 + next(60)))
                case 1: bytes.insert(Self.alphabet[next(Self.alphabet.count)], at: at)
                default: bytes[at] = UInt8(next(256))
                }
            }
            guard let trace = try? TraceLoader.read(bytes: bytes, name: name) else { continue }
            for d in Diagnoser().diagnoseAll(trace) {
                #expect(!d.verdict.headline.isEmpty)
                #expect(!TextRenderer().render(d).isEmpty)
                _ = MarkdownRenderer().render(d)
                _ = JSONRenderer().render(d)
            }
        }
    }
}
