import Diagnosis
import Engine
import Foundation
import Testing

/// Every diagnosis names the engine that made it, and the version must
/// move when the verdicts do: `Fixtures/engine-verdicts.txt` records what
/// this version concludes for every fixture trace.
@Suite struct EngineVersionTests {
    @Test func theVerdictsAreThoseRecordedForThisEngineVersion() throws {
        let file = EngineFixtures.path("Fixtures/engine-verdicts.txt")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let recorded = try #require(EngineVerdicts(parsing: text), "\(file) has no engine-version line; regenerate it: \(EngineVerdicts.regenerate)")
        let now = EngineVerdicts.compute(tracesIn: EngineFixtures.path("Fixtures/traces"))
        #expect(now.lines.count >= 80, "found only \(now.lines.count) calls under Fixtures/traces")
        guard recorded.engineVersion == Diagnosis.engineVersion else {
            Issue.record("Diagnosis.engineVersion is \(Diagnosis.engineVersion) but \(file) was made by engine \(recorded.engineVersion): regenerate it with \(EngineVerdicts.regenerate)")
            return
        }
        let gone = recorded.lines.filter { !now.lines.contains($0) }, new = now.lines.filter { !recorded.lines.contains($0) }
        #expect(gone.isEmpty && new.isEmpty, """
            the verdicts changed while Diagnosis.engineVersion stayed \(Diagnosis.engineVersion): bump it (a cache would serve the old verdicts) and regenerate with \(EngineVerdicts.regenerate)
            recorded:
            \(gone.joined(separator: "\n"))
            now:
            \(new.joined(separator: "\n"))
            """)
    }

    @Test func theFileReadsBackAsWritten() {
        let table = EngineVerdicts(engineVersion: 7, lines: ["a.txt | x@1 | busy-or-declined | #3 486 Busy Here | high"])
        #expect(EngineVerdicts(parsing: table.text) == table)
        #expect(EngineVerdicts(parsing: "# no version\na | b\n") == nil)
    }

    static func diagnosis() async throws -> Diagnosis {
        try await CallTraceLoader().diagnose(.file(path: EngineFixtures.path("Fixtures/traces/busy-or-declined/catch.txt")), callID: "3b4c5d6e-486@192.168.1.50")
    }

    @Test func theJSONCarriesTheEngineVersionAndReadsBackCurrent() async throws {
        let d = try await Self.diagnosis()
        let json = JSONRenderer().render(d)
        #expect(json.contains("\"engineVersion\" : \(Diagnosis.engineVersion)"))
        let back = try JSONDecoder().decode(Diagnosis.self, from: Data(json.utf8))
        #expect(back == d)
        #expect(back.isCurrent)
    }

    /// A cache filled before engine versions existed holds JSON without the
    /// field: it still decodes, and is never taken for current.
    @Test func olderJSONWithoutTheFieldDecodesAsNotCurrent() async throws {
        let d = try await Self.diagnosis()
        var object = try #require(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(d).utf8)) as? [String: Any])
        object["engineVersion"] = nil
        let old = try JSONDecoder().decode(Diagnosis.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.engineVersion == nil)
        #expect(!old.isCurrent)
        #expect(old.verdict == d.verdict)
        var stale = d
        stale.engineVersion = Diagnosis.engineVersion - 1
        #expect(!stale.isCurrent)
    }
}
