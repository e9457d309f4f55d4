import Foundation
import Store
import Testing
import TestSupport

/// The agent's journal beside the ledger: cursors, work, coverage that
/// counts only items the ledger knows, the post kept for replay, and when
/// the next unfinished item becomes claimable.
@Suite struct AgentJournalTests {
    func open() throws -> (Scratch, StoreDatabase) {
        let scratch = try Scratch()
        return (scratch, try StoreDatabase(path: scratch.path("agent.sqlite")))
    }

    func work(_ item: String, thread: String, callIDs: [String], marked: [String] = [], engine: Int = 3) -> AgentWork {
        AgentWork(key: LedgerKey(backend: "rt", itemID: item), threadID: thread, threadTitle: "t", callIDs: callIDs,
                  markedCallIDs: marked, engineVersion: engine, seenAt: 100)
    }

    @Test func theCursorIsKeptPerBackendAndSurvivesReopening() throws {
        let (scratch, db) = try open()
        #expect(try db.agentJournal().cursor(backend: "rt") == nil)
        try db.agentJournal().saveCursor("2026-12-02 10:00:00", backend: "rt")
        try db.agentJournal().saveCursor("s72_1", backend: "matrix")
        try db.agentJournal().saveCursor("2026-12-02 10:05:00", backend: "rt")
        let again = try StoreDatabase(path: scratch.path("agent.sqlite"))
        #expect(try again.agentJournal().cursor(backend: "rt") == "2026-12-02 10:05:00")
        #expect(try again.agentJournal().cursor(backend: "matrix") == "s72_1")
    }

    @Test func coverageCountsOnlyWorkTheLedgerKnows() throws {
        let (_, db) = try open()
        let journal = db.agentJournal()
        // A crash between the journal row and the ledger item: not covered.
        try journal.recordWork(work("7#a", thread: "7", callIDs: ["b@h", "a@h"], marked: ["a@h"]))
        #expect(try journal.coveredCallIDs(backend: "rt", thread: "7", engineVersion: 3).isEmpty)
        try db.ledger().recordSeen(LedgerKey(backend: "rt", itemID: "7#a"), callIDs: ["a@h", "b@h"])
        #expect(try journal.coveredCallIDs(backend: "rt", thread: "7", engineVersion: 3) == ["a@h", "b@h"])
        // Another engine version, thread or back-end covers nothing here.
        #expect(try journal.coveredCallIDs(backend: "rt", thread: "7", engineVersion: 4).isEmpty)
        #expect(try journal.coveredCallIDs(backend: "rt", thread: "8", engineVersion: 3).isEmpty)
        #expect(try journal.coveredCallIDs(backend: "inbox", thread: "7", engineVersion: 3).isEmpty)
        let stored = try #require(try journal.work(LedgerKey(backend: "rt", itemID: "7#a")))
        #expect(stored.callIDs == ["a@h", "b@h"] && stored.markedCallIDs == ["a@h"] && stored.seenAt == 100)
    }

    @Test func theFirstRecordWinsAndPostsAndFindingsAreKept() throws {
        let (_, db) = try open()
        let journal = db.agentJournal()
        let key = LedgerKey(backend: "rt", itemID: "7#a")
        try journal.recordWork(work("7#a", thread: "7", callIDs: ["a@h"]))
        var later = work("7#a", thread: "7", callIDs: ["a@h"])
        later.seenAt = 999
        try journal.recordWork(later)
        #expect(try journal.work(key)?.seenAt == 100)
        #expect(try journal.post(key) == nil)
        try journal.savePost(JournalPost(marker: "sipdiag:x", plain: "p", formatted: "<p>p</p>", markup: "html"), for: key)
        try journal.saveFindings("[{\"callID\":\"a@h\"}]", for: key)
        #expect(try journal.post(key) == JournalPost(marker: "sipdiag:x", plain: "p", formatted: "<p>p</p>", markup: "html"))
        #expect(try journal.findings(key) == "[{\"callID\":\"a@h\"}]")
        try journal.recordWork(work("7#b", thread: "7", callIDs: ["c@h"]))
        #expect(try journal.works(thread: "7", backend: "rt").map(\.key.itemID) == ["7#a", "7#b"])
        #expect(try journal.works(thread: "7", backend: "matrix").isEmpty)
    }

    @Test func nextClaimableIsTheEarliestOfDueTimesAndLeases() throws {
        let (_, db) = try open()
        let now = Date(timeIntervalSince1970: 1000)
        let ledger = db.ledger(clock: { now })
        let journal = db.agentJournal()
        #expect(try journal.nextClaimable(backends: ["rt"]) == nil)
        try ledger.recordSeen(LedgerKey(backend: "rt", itemID: "1"), callIDs: ["a@h"])
        #expect(try journal.nextClaimable(backends: ["rt"]) == 1000)
        _ = try ledger.claimDue(owner: "dead", limit: 1, lease: 30)
        #expect(try journal.nextClaimable(backends: ["rt"]) == 1030, "held until its lease runs out")
        #expect(try journal.nextClaimable(backends: ["matrix"]) == nil)
        try ledger.recordFailure(LedgerKey(backend: "rt", itemID: "1"), owner: "dead", error: "x", retryable: false)
        #expect(try journal.nextClaimable(backends: ["rt"]) == nil, "a failed item is never claimable")
    }

    @Test func aDeliveryIsTakenOnceAndForgottenAfterItsTime() throws {
        let (scratch, _) = try open()
        let now = Clock(100)
        let db = try StoreDatabase(path: scratch.path("agent.sqlite"))
        let journal = db.agentJournal(clock: { now.date })
        #expect(try journal.hasDelivery("Ev1", backend: "slack") == false)
        #expect(try journal.recordDelivery("Ev1", backend: "slack", forgetAfter: 60) == true)
        #expect(try journal.recordDelivery("Ev1", backend: "slack", forgetAfter: 60) == false)
        #expect(try journal.hasDelivery("Ev1", backend: "slack"))
        // Another back-end's id space is its own.
        #expect(try journal.hasDelivery("Ev1", backend: "slack-b") == false)
        now.date = Date(timeIntervalSince1970: 200)
        #expect(try journal.recordDelivery("Ev2", backend: "slack", forgetAfter: 60) == true)
        #expect(try journal.hasDelivery("Ev1", backend: "slack") == false)
    }

    @Test func whereAnItemAnswersIsKeptWithItsWork() throws {
        let (_, db) = try open()
        let journal = db.agentJournal()
        var w = work("c#1", thread: "C1 1700000000.000100", callIDs: ["a@h"])
        w.replyTo = "https://hooks.slack.com/commands/T1/1/abc"
        try journal.recordWork(w)
        #expect(try journal.work(w.key)?.replyTo == "https://hooks.slack.com/commands/T1/1/abc")
        try journal.recordWork(work("c#2", thread: "C1", callIDs: ["b@h"]))
        #expect(try journal.work(LedgerKey(backend: "rt", itemID: "c#2"))?.replyTo == nil)
    }

    /// A settable clock for the journal.
    final class Clock: @unchecked Sendable {
        var date: Date
        init(_ seconds: Double) { date = Date(timeIntervalSince1970: seconds) }
    }
}
