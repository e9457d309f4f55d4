import Diagnosis
import Foundation
import Store
import Testing
import TestSupport

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double
    init(_ seconds: Double = 1_800_000_000) { self.seconds = seconds }
    var now: Date { lock.withLock { Date(timeIntervalSince1970: seconds) } }
    func advance(_ by: Double) { lock.withLock { seconds += by } }
    var read: @Sendable () -> Date { { self.now } }
}

@Suite struct DiagnosisCacheTests {
    let scratch: Scratch
    let database: StoreDatabase
    let clock = TestClock()
    let digest = String(repeating: "ab", count: 32)

    init() throws {
        scratch = try Scratch()
        database = try StoreDatabase(path: scratch.path("agentctl.sqlite"))
    }

    @Test func aStoredDiagnosisComesBackWhole() throws {
        let cache = database.diagnosisCache(clock: clock.read)
        let diagnosis = try StoreFixtures.diagnosis()
        let key = DiagnosisCacheKey(callIDs: ["b@host", "a@host"], traceDigest: digest)
        try cache.store(diagnosis, for: key)
        let hit = try #require(try cache.lookup(key))
        #expect(hit.diagnosis == diagnosis)
        #expect(hit.storedAt == clock.now.timeIntervalSince1970)
        #expect(hit.lastHitAt == nil)
    }

    @Test func theLegsMayComeInAnyOrder() throws {
        let cache = database.diagnosisCache(clock: clock.read)
        try cache.store(try StoreFixtures.diagnosis(), for: DiagnosisCacheKey(callIDs: ["b", "a", "b"], traceDigest: digest))
        #expect(try cache.lookup(DiagnosisCacheKey(callIDs: ["a", "b"], traceDigest: digest)) != nil)
        #expect(try cache.lookup(DiagnosisCacheKey(callIDs: ["a"], traceDigest: digest)) == nil)
        #expect(try cache.lookup(DiagnosisCacheKey(callIDs: ["a", "b", "c"], traceDigest: digest)) == nil)
    }

    @Test func aGrownTraceIsAMiss() throws {
        let cache = database.diagnosisCache(clock: clock.read)
        try cache.store(try StoreFixtures.diagnosis(), for: DiagnosisCacheKey(callIDs: ["a"], traceDigest: digest))
        #expect(try cache.lookup(DiagnosisCacheKey(callIDs: ["a"], traceDigest: String(repeating: "cd", count: 32))) == nil)
    }

    @Test func anotherEngineVersionIsAMiss() throws {
        let cache = database.diagnosisCache(clock: clock.read)
        try cache.store(try StoreFixtures.diagnosis(), for: DiagnosisCacheKey(callIDs: ["a"], traceDigest: digest,
                                                                               engineVersion: Diagnosis.engineVersion - 1))
        #expect(try cache.lookup(DiagnosisCacheKey(callIDs: ["a"], traceDigest: digest)) == nil)
        #expect(try cache.stats().otherEngineEntries == 1)
    }

    @Test func aHitIsRecorded() throws {
        let cache = database.diagnosisCache(clock: clock.read)
        let key = DiagnosisCacheKey(callIDs: ["a"], traceDigest: digest)
        try cache.store(try StoreFixtures.diagnosis(), for: key)
        clock.advance(60)
        _ = try cache.lookup(key)
        clock.advance(60)
        let second = try #require(try cache.lookup(key))
        #expect(second.lastHitAt == clock.now.timeIntervalSince1970 - 60)
        let stats = try cache.stats()
        #expect(stats.totalHits == 2)
        #expect(stats.lastHitAt == clock.now.timeIntervalSince1970)
    }

    @Test func storingAgainReplacesTheEntry() throws {
        let cache = database.diagnosisCache(clock: clock.read)
        let key = DiagnosisCacheKey(callIDs: ["a"], traceDigest: digest)
        var first = try StoreFixtures.diagnosis()
        try cache.store(first, for: key)
        first.fixSteps = ["changed"]
        try cache.store(first, for: key)
        #expect(try cache.lookup(key)?.diagnosis.fixSteps == ["changed"])
        #expect(try cache.stats().entries == 1)
    }

    @Test func pruneDropsOnlyEntriesUnusedSinceTheCutoff() throws {
        let cache = database.diagnosisCache(clock: clock.read)
        let diagnosis = try StoreFixtures.diagnosis()
        let old = DiagnosisCacheKey(callIDs: ["old"], traceDigest: digest)
        let oldButHit = DiagnosisCacheKey(callIDs: ["old-hit"], traceDigest: digest)
        try cache.store(diagnosis, for: old)
        try cache.store(diagnosis, for: oldButHit)
        clock.advance(86_400 * 40)
        _ = try cache.lookup(oldButHit)
        let recent = DiagnosisCacheKey(callIDs: ["recent"], traceDigest: digest)
        try cache.store(diagnosis, for: recent)
        let removed = try cache.prune(unusedSince: clock.now.timeIntervalSince1970 - 86_400 * 30)
        #expect(removed == 1)
        #expect(try cache.lookup(old) == nil)
        #expect(try cache.lookup(oldButHit) != nil)
        #expect(try cache.lookup(recent) != nil)
    }

    @Test func statsOfAnEmptyCacheAreZero() throws {
        let stats = try database.diagnosisCache().stats()
        #expect(stats.entries == 0)
        #expect(stats.oldestStoredAt == nil)
    }

    @Test func vacuumKeepsTheEntries() throws {
        let cache = database.diagnosisCache(clock: clock.read)
        let diagnosis = try StoreFixtures.diagnosis()
        for i in 0..<200 {
            try cache.store(diagnosis, for: DiagnosisCacheKey(callIDs: ["c\(i)"], traceDigest: digest))
        }
        clock.advance(100)
        try cache.store(diagnosis, for: DiagnosisCacheKey(callIDs: ["kept"], traceDigest: digest))
        #expect(try cache.prune(unusedSince: clock.now.timeIntervalSince1970 - 50) == 200)
        try database.vacuum()
        #expect(try cache.lookup(DiagnosisCacheKey(callIDs: ["kept"], traceDigest: digest)) != nil)
        #expect(try cache.stats().entries == 1)
    }
}
