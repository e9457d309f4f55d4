import Foundation
import Store
import Testing
import TestSupport

/// Another process killed with SIGKILL in the middle of its work, and two
/// processes claiming from one ledger: what SQLite's WAL and the IMMEDIATE
/// transactions promise, checked with real processes.
@Suite struct CrashTests {
    let files = 200
    let spansPerFile = 400

    /// Every file `0..<count` indexed whole (its first and last span
    /// present), none beyond.
    private func expectIndexed(_ database: StoreDatabase, count: Int) throws {
        let index = database.traceIndex
        let paths = try index.indexedFiles(under: "/exports").map(\.path)
        #expect(Set(paths) == Set((0..<count).map { "/exports/f\($0).pcap" }))
        #expect(paths.count == count)
        for i in [0, count / 2, count - 1] where i >= 0 {
            #expect(try index.spans(forKey: "f\(i)-k0").count == 1)
            #expect(try index.spans(forKey: "f\(i)-k\(spansPerFile - 1)").count == 1)
        }
        #expect(try index.spans(forKey: "f\(count)-k0").isEmpty)
        #expect(try database.integrityProblems().isEmpty)
    }

    @Test func anIndexerKilledMidRunLosesNothingCommittedAndDuplicatesNothingOnRestart() throws {
        let scratch = try Scratch()
        let path = scratch.path("agentctl.sqlite")
        let arguments = ["index", path, "\(files)", "\(spansPerFile)"]

        let first = try StoreChild(arguments, outputIn: scratch.url, name: "first")
        first.waitForLines(40)
        first.killHard()
        let committed = first.lines.count
        #expect(committed >= 40)
        #expect(committed < files, "the child finished before it was killed; raise the work")

        // What it printed was committed; the transaction in flight when the
        // signal came may have committed before the print: nothing else.
        let reopened = try StoreDatabase(path: path)
        let count = try reopened.traceIndex.indexedFiles(under: "/exports").count
        #expect(count == committed || count == committed + 1)
        try expectIndexed(reopened, count: count)

        let second = try StoreChild(arguments, outputIn: scratch.url, name: "second")
        #expect(second.wait() == 0)
        #expect(second.lines.count == files - count)
        try expectIndexed(reopened, count: files)
    }

    @Test func twoProcessesClaimingOneLedgerPostEachItemOnce() throws {
        let scratch = try Scratch()
        let path = scratch.path("agentctl.sqlite")
        let database = try StoreDatabase(path: path)
        let ledger = database.ledger()
        let ids = (0..<200).map(String.init)
        for id in ids { try ledger.recordSeen(LedgerKey(backend: "rt", itemID: id), callIDs: ["c\(id)"]) }

        let children = try ["a", "b"].map { try StoreChild(["claim", path, $0], outputIn: scratch.url, name: $0) }
        #expect(children.map { $0.wait() } == [0, 0])
        let claimedBy = children.map(\.lines)
        #expect(claimedBy[0].count + claimedBy[1].count == ids.count)
        #expect(Set(claimedBy[0]).isDisjoint(with: claimedBy[1]))
        #expect(Set(claimedBy[0] + claimedBy[1]) == Set(ids))
        for (owner, claimed) in zip(["a", "b"], claimedBy) {
            for id in claimed {
                let item = try ledger.item(LedgerKey(backend: "rt", itemID: id))
                #expect(item?.state == .posted)
                #expect(item?.postedID == owner)
            }
        }
    }
}
