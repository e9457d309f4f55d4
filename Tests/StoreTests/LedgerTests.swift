import Foundation
import Store
import Testing
import TestSupport

@Suite struct LedgerTests {
    let scratch: Scratch
    let database: StoreDatabase
    let clock = TestClock()
    let ticket = LedgerKey(backend: "rt-noc", itemID: "4711")

    init() throws {
        scratch = try Scratch()
        database = try StoreDatabase(path: scratch.path("agentctl.sqlite"))
    }

    private func ledger(_ policy: RetryPolicy = RetryPolicy()) -> any Ledger {
        database.ledger(policy: policy, clock: clock.read)
    }

    /// Seen, claimed by `owner` and moved to diagnosed.
    private func diagnosedItem(_ ledger: any Ledger, owner: String = "agent-a") throws {
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        #expect(try ledger.claimDue(owner: owner, limit: 10, lease: 60).map(\.key) == [ticket])
        try ledger.advance(ticket, to: .traceFound, owner: owner)
        try ledger.advance(ticket, to: .diagnosed, owner: owner)
    }

    @Test func aSeenItemIsDueAtOnce() throws {
        let ledger = ledger()
        let seen = try ledger.recordSeen(ticket, callIDs: ["b@h", "a@h", "b@h"])
        #expect(seen.state == .seen)
        #expect(seen.callIDs == ["a@h", "b@h"])
        #expect(seen.nextAttemptAt == clock.now.timeIntervalSince1970)
        #expect(try ledger.item(ticket) == seen)
    }

    @Test func seeingAnItemAgainAddsItsNewCallIDsOnly() throws {
        let ledger = ledger()
        try ledger.recordSeen(ticket, callIDs: ["a"])
        let again = try ledger.recordSeen(ticket, callIDs: ["c", "a"])
        #expect(again.callIDs == ["a", "c"])
        #expect(again.state == .seen)
    }

    @Test func theFullPathEndsPostedWithTheBackendsID() throws {
        let ledger = ledger()
        try diagnosedItem(ledger)
        let intent = try ledger.recordPostIntent(ticket, owner: "agent-a", marker: "m-1")
        #expect(intent.postIntent?.marker == "m-1")
        #expect(intent.postedID == nil)
        let posted = try ledger.recordPosted(ticket, marker: "m-1", postedID: "comment-99")
        #expect(posted.state == .posted)
        #expect(posted.postedID == "comment-99")
        #expect(posted.claim == nil)
        #expect(try ledger.claimDue(owner: "agent-b", limit: 10, lease: 60).isEmpty)
    }

    @Test func aClaimedItemIsNotClaimedTwice() throws {
        let ledger = ledger()
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        #expect(try ledger.claimDue(owner: "agent-a", limit: 10, lease: 60).count == 1)
        #expect(try ledger.claimDue(owner: "agent-b", limit: 10, lease: 60).isEmpty)
    }

    @Test func anExpiredLeaseIsClaimedByAnotherAndTheFirstOwnerIsFencedOut() throws {
        let ledger = ledger()
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        _ = try ledger.claimDue(owner: "agent-a", limit: 10, lease: 60)
        // agent-a crashes: nothing releases the item, its lease runs out.
        clock.advance(61)
        let taken = try ledger.claimDue(owner: "agent-b", limit: 10, lease: 60)
        #expect(taken.map(\.claim?.owner) == ["agent-b"])
        #expect(taken.first?.attempts == 2)
        #expect(throws: StoreError.claimNotHeld(backend: "rt-noc", itemID: "4711", owner: "agent-a")) {
            try ledger.advance(ticket, to: .traceFound, owner: "agent-a")
        }
        #expect(try ledger.advance(ticket, to: .traceFound, owner: "agent-b").state == .traceFound)
    }

    @Test func aLeaseThatRanOutIsNotHeldEvenBeforeAnotherClaims() throws {
        let ledger = ledger()
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        _ = try ledger.claimDue(owner: "agent-a", limit: 1, lease: 30)
        clock.advance(30)
        #expect(throws: StoreError.self) { try ledger.advance(ticket, to: .diagnosed, owner: "agent-a") }
    }

    @Test func renewingKeepsTheItemPastItsFirstLease() throws {
        let ledger = ledger()
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        _ = try ledger.claimDue(owner: "agent-a", limit: 1, lease: 30)
        clock.advance(20)
        try ledger.renew(ticket, owner: "agent-a", lease: 30)
        clock.advance(20)
        #expect(try ledger.claimDue(owner: "agent-b", limit: 1, lease: 30).isEmpty)
        #expect(try ledger.advance(ticket, to: .diagnosed, owner: "agent-a").state == .diagnosed)
    }

    @Test func stateOnlyMovesForward() throws {
        let ledger = ledger()
        try diagnosedItem(ledger)
        #expect(throws: StoreError.invalidTransition(backend: "rt-noc", itemID: "4711", from: "diagnosed", to: "trace-found")) {
            try ledger.advance(ticket, to: .traceFound, owner: "agent-a")
        }
        #expect(throws: StoreError.self) { try ledger.advance(ticket, to: .posted, owner: "agent-a") }
    }

    @Test func aPostIntentNeedsADiagnosis() throws {
        let ledger = ledger()
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        _ = try ledger.claimDue(owner: "agent-a", limit: 1, lease: 60)
        #expect(throws: StoreError.self) { try ledger.recordPostIntent(ticket, owner: "agent-a", marker: "m") }
    }

    /// The crash between posting and recording the post: the next claimant
    /// finds the intent, so it knows to look for marker m-1 on the back-end
    /// before posting; it cannot record a second, different intent.
    @Test func aCrashAfterTheIntentLeavesItForTheNextClaimant() throws {
        let ledger = ledger()
        try diagnosedItem(ledger)
        try ledger.recordPostIntent(ticket, owner: "agent-a", marker: "m-1")
        clock.advance(61)
        let retaken = try #require(try ledger.claimDue(owner: "agent-b", limit: 1, lease: 60).first)
        #expect(retaken.postIntent?.marker == "m-1")
        #expect(retaken.state == .diagnosed)
        #expect(throws: StoreError.postIntentMismatch(backend: "rt-noc", itemID: "4711")) {
            try ledger.recordPostIntent(ticket, owner: "agent-b", marker: "m-2")
        }
        try ledger.recordPostIntent(ticket, owner: "agent-b", marker: "m-1")
        #expect(try ledger.recordPosted(ticket, marker: "m-1", postedID: "found-on-backend").state == .posted)
    }

    @Test func aPostIsRecordedOnceAndASecondIdIsRefused() throws {
        let ledger = ledger()
        try diagnosedItem(ledger)
        try ledger.recordPostIntent(ticket, owner: "agent-a", marker: "m-1")
        #expect(throws: StoreError.postIntentMismatch(backend: "rt-noc", itemID: "4711")) {
            try ledger.recordPosted(ticket, marker: "m-2", postedID: "p")
        }
        try ledger.recordPosted(ticket, marker: "m-1", postedID: "p-1")
        #expect(try ledger.recordPosted(ticket, marker: "m-1", postedID: "p-1").postedID == "p-1")
        #expect(throws: StoreError.alreadyPosted(backend: "rt-noc", itemID: "4711", postedID: "p-1")) {
            try ledger.recordPosted(ticket, marker: "m-1", postedID: "p-2")
        }
    }

    @Test func aRetryableFailureBacksOffExponentially() throws {
        let ledger = ledger(RetryPolicy(firstDelay: 10, maxDelay: 25, maxAttempts: 5))
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        var delays: [Double] = []
        for _ in 0..<3 {
            let claimed = try ledger.claimDue(owner: "a", limit: 1, lease: 60)
            #expect(claimed.count == 1)
            let failed = try ledger.recordFailure(ticket, owner: "a", error: "homer: 503", retryable: true)
            #expect(failed.lastError == "homer: 503")
            #expect(failed.claim == nil)
            delays.append(failed.nextAttemptAt - clock.now.timeIntervalSince1970)
            #expect(try ledger.claimDue(owner: "a", limit: 1, lease: 60).isEmpty)
            clock.advance(failed.nextAttemptAt - clock.now.timeIntervalSince1970)
        }
        #expect(delays == [10, 20, 25])
    }

    @Test func aFailureThatCannotBeRetriedIsFinal() throws {
        let ledger = ledger()
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        _ = try ledger.claimDue(owner: "a", limit: 1, lease: 60)
        let failed = try ledger.recordFailure(ticket, owner: "a", error: "no trace for c1", retryable: false)
        #expect(failed.state == .failed)
        clock.advance(86_400)
        #expect(try ledger.claimDue(owner: "a", limit: 1, lease: 60).isEmpty)
    }

    @Test func anItemThatKeepsCrashingItsClaimantIsGivenUp() throws {
        let ledger = ledger(RetryPolicy(maxAttempts: 2))
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        for _ in 0..<2 {
            #expect(try ledger.claimDue(owner: "a", limit: 1, lease: 10).count == 1)
            clock.advance(11)
        }
        #expect(try ledger.claimDue(owner: "a", limit: 1, lease: 10).isEmpty)
        let item = try #require(try ledger.item(ticket))
        #expect(item.state == .failed)
        #expect(item.lastError?.contains("gave up after 2 attempts") == true)
    }

    @Test func releaseGivesTheItemBackUncounted() throws {
        let ledger = ledger()
        try ledger.recordSeen(ticket, callIDs: ["c1"])
        _ = try ledger.claimDue(owner: "a", limit: 1, lease: 60)
        let released = try ledger.release(ticket, owner: "a")
        #expect(released.attempts == 0)
        #expect(try ledger.claimDue(owner: "b", limit: 1, lease: 60).first?.attempts == 1)
    }

    @Test func dueItemsComeOldestFirstUpToTheLimit() throws {
        let ledger = ledger()
        for id in ["3", "1", "2"] {
            try ledger.recordSeen(LedgerKey(backend: "slack", itemID: id), callIDs: [])
            clock.advance(1)
        }
        #expect(try ledger.claimDue(owner: "a", limit: 2, lease: 60).map(\.key.itemID) == ["3", "1"])
        #expect(try ledger.claimDue(owner: "b", limit: 5, lease: 60).map(\.key.itemID) == ["2"])
    }

    @Test func operationsOnAnUnknownItemSayWhatToDo() throws {
        let error = #expect(throws: StoreError.self) { try ledger().advance(ticket, to: .diagnosed, owner: "a") }
        #expect(error?.description.contains("record it as seen first") == true)
    }

    /// Two connections (two pools on one file, as two processes would
    /// have) claim the same 300 items from eight threads at once: every
    /// item goes to exactly one of them.
    @Test func twoConnectionsRacingNeverClaimTheSameItem() async throws {
        let other = try StoreDatabase(path: database.path)
        let ledgers = [database.ledger(), other.ledger()]
        let keys = (0..<300).map { LedgerKey(backend: "rt", itemID: "\($0)") }
        for key in keys { try ledgers[0].recordSeen(key, callIDs: []) }
        let claims = try await withThrowingTaskGroup(of: [LedgerKey].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [LedgerKey] = []
                    while true {
                        let got = try ledgers[worker % 2].claimDue(owner: "w\(worker)", limit: 3, lease: 600)
                        if got.isEmpty { return mine }
                        mine += got.map(\.key)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == keys.count)
        #expect(Set(all) == Set(keys))
    }
}
