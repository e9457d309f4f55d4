import Diagnosis
import Foundation
import Store
import Testing
import TraceFormats

@Suite struct CacheCommandTests {
    static let trace = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/traces/busy-or-declined/catch.txt").path

    /// A database with `old` entries last used 40 days ago and `recent`
    /// stored now.
    private func seeded(in scratch: Scratch, old: Int, recent: Int) throws -> String {
        let path = scratch.path("db/agentctl.sqlite")
        let database = try StoreDatabase(path: path)
        let trace = try TraceLoader.load(path: Self.trace)
        let diagnoser = Diagnoser()
        let diagnosis = try diagnoser.diagnose(trace, callID: diagnoser.callIDs(in: trace)[0])
        let longAgo = Date().addingTimeInterval(-40 * 86_400)
        for i in 0..<old {
            try database.diagnosisCache(clock: { longAgo }).store(diagnosis, for: DiagnosisCacheKey(callIDs: ["old-\(i)"], traceDigest: "aa"))
        }
        for i in 0..<recent {
            try database.diagnosisCache().store(diagnosis, for: DiagnosisCacheKey(callIDs: ["new-\(i)"], traceDigest: "aa"))
        }
        return path
    }

    @Test func statsCountsTheEntries() throws {
        let scratch = try Scratch()
        let path = try seeded(in: scratch, old: 2, recent: 1)
        let r = try AgentctlProcess.run(["cache", "stats", "--database", path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("database: \(path)"))
        #expect(r.stdout.contains("entries: 3, of which 0 from another engine"))
    }

    @Test func pruneRemovesOnlyEntriesUnusedForTheAge() throws {
        let scratch = try Scratch()
        let path = try seeded(in: scratch, old: 3, recent: 2)
        let r = try AgentctlProcess.run(["cache", "prune", "--older-than", "30d", "--database", path])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("removed 3 entries unused for 30d"))
        #expect(try StoreDatabase(path: path).diagnosisCache().stats().entries == 2)
        let again = try AgentctlProcess.run(["cache", "prune", "--older-than", "1h", "--database", path])
        #expect(again.stdout.hasPrefix("removed 0 entries"))
    }

    @Test func anAgeWithoutAWholeNumberAndAUnitIsRefusedSayingWhatToWrite() throws {
        let scratch = try Scratch()
        for bad in ["30", "d", "1.5d", "30 d", "30days", "-3d", "3D", "99999999999999d", ""] {
            let r = try AgentctlProcess.run(["cache", "prune", "--older-than", bad, "--database", scratch.path("db.sqlite")])
            #expect(r.status == 64, "\(bad)")
            #expect(r.stderr.contains("(30d, 12h, 90m)"), "\(bad): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("db.sqlite")), "a refused command opens nothing")
    }

    @Test func everyUnitIsAccepted() throws {
        let scratch = try Scratch()
        let path = try seeded(in: scratch, old: 1, recent: 0)
        for age in ["90s", "90m", "12h", "30d", "2w"] {
            let r = try AgentctlProcess.run(["cache", "prune", "--older-than", age, "--database", path])
            #expect(r.status == 0, "\(age): \(r.stderr)")
        }
    }

    @Test func vacuumKeepsTheEntriesAndShrinksThePrunedFile() throws {
        let scratch = try Scratch()
        let path = try seeded(in: scratch, old: 300, recent: 1)
        _ = try AgentctlProcess.run(["cache", "prune", "--older-than", "30d", "--database", path])
        let r = try AgentctlProcess.run(["cache", "vacuum", "--database", path])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("vacuumed \(path)"))
        let database = try StoreDatabase(path: path)
        #expect(try database.diagnosisCache().stats().entries == 1)
        #expect(database.sizeOnDisk() < 300 * 1_000)
    }

    @Test func aDatabaseThatCannotBeOpenedIsExitTwoWithTheReason() throws {
        let scratch = try Scratch()
        let blocker = try scratch.write("file", [1])
        let r = try AgentctlProcess.run(["cache", "stats", "--database", blocker + "/db.sqlite"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(blocker) is a file, not a directory"))
    }
}
