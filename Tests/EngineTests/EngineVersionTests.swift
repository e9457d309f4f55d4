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
        #expect(now.engineVersion == Diagnosis.engineVersion)
        if let problem = now.mismatch(with: recorded) { Issue.record(Comment(rawValue: problem)) }
    }

    @Test func aChangedVerdictWithoutABumpOrABumpWithoutTheFileIsCaught() {
        let line = "busy-or-declined/catch.txt | 3b4c5d6e-486@192.168.1.50 | busy-or-declined | #4 486 Busy Here | high"
        let recorded = EngineVerdicts(engineVersion: 3, lines: [line])
        #expect(EngineVerdicts(engineVersion: 3, lines: [line]).mismatch(with: recorded) == nil)
        let moved = EngineVerdicts(engineVersion: 3, lines: [line.replacingOccurrences(of: "| high", with: "| medium")])
        let message = moved.mismatch(with: recorded) ?? ""
        #expect(message.contains("stayed 3: bump it"))
        #expect(message.contains("recorded:\n  \(line)\nnow:\n  ") && message.hasSuffix("| medium"))
        // A new fixture moves no recorded verdict: regenerate, no bump.
        let added = EngineVerdicts(engineVersion: 3, lines: [line, "new/catch.txt | y@2 | healthy | no failure | high"])
        let listed = added.mismatch(with: recorded) ?? ""
        #expect(listed.contains("new: new/catch.txt ") && listed.contains("regenerate") && !listed.contains("bump"))
        let bumped = EngineVerdicts(engineVersion: 4, lines: [line])
        #expect(bumped.mismatch(with: recorded)?.contains("is 4 but Fixtures/engine-verdicts.txt was made by engine 3: regenerate") == true)
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
