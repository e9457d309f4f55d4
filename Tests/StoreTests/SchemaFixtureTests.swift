import Diagnosis
import Foundation
import GRDB
@testable import Store
import Testing
import TestSupport

/// A database made by the first schema must open after every upgrade.
/// `Fixtures/store/schema-v1.sqlite` was made once, by v1, with
/// `STORE_WRITE_FIXTURES=1 swift test --filter SchemaFixtureTests`, and is
/// never made again: later schemas replay their migrations on a copy.
@Suite struct SchemaFixtureTests {
    static let fixture = StoreFixtures.root.appendingPathComponent("store/schema-v1.sqlite").path
    static let digest = String(repeating: "5a", count: 32)
    static let v1EngineVersion = 3
    static let ticket = LedgerKey(backend: "rt-noc", itemID: "4711")
    static let posted = LedgerKey(backend: "slack-voip", itemID: "1733130000.000100")

    /// Writes the fixture as v1 left it: two files of the index with spans
    /// of every kind, a cached diagnosis, a ledger item in flight and one
    /// posted. Runs only when asked to.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["STORE_WRITE_FIXTURES"] == "1"))
    func writeTheV1Fixture() throws {
        try? FileManager.default.removeItem(atPath: Self.fixture)
        do {
            let database = try StoreDatabase(path: Self.fixture, busyTimeout: 1, migratingUpTo: "v1")
            let index = database.traceIndex
            try index.replace(IndexedFile(path: "/exports/a.pcap", size: 88_000, modified: 1_733_100_000, inode: 12,
                                          headDigest: "0011", format: "pcap", compressed: false, indexedAt: 1_733_100_100),
                              spans: [
                                IndexedCallSpan(key: "89f3a1b2@10.10.1.50", kind: .callID, callID: "89f3a1b2@10.10.1.50",
                                                path: "/exports/a.pcap", byteRange: 24..<88_000, firstTime: 1_733_099_990,
                                                lastTime: 1_733_099_999.5, messages: 9),
                                IndexedCallSpan(key: "89f3a1b2", kind: .localPart, callID: "89f3a1b2@10.10.1.50",
                                                path: "/exports/a.pcap", byteRange: 24..<88_000, firstTime: nil,
                                                lastTime: nil, messages: 9),
                              ])
            try index.replace(IndexedFile(path: "/exports/b.log.gz", size: 1200, modified: 1_733_100_050, inode: 13,
                                          headDigest: "0022", format: "opensips", compressed: true, indexedAt: 1_733_100_100),
                              spans: [
                                IndexedCallSpan(key: "corr-77", kind: .correlation, callID: "leg-b@10.0.0.2",
                                                path: "/exports/b.log.gz", byteRange: 0..<4000, firstTime: 36_000,
                                                lastTime: 36_010, messages: 4),
                              ])
            let cache = database.diagnosisCache(clock: { Date(timeIntervalSince1970: 1_733_100_200) })
            try cache.store(try StoreFixtures.diagnosis(),
                            for: DiagnosisCacheKey(callIDs: ["89f3a1b2@10.10.1.50"], traceDigest: Self.digest,
                                                   engineVersion: Self.v1EngineVersion))
            let ledger = database.ledger(clock: { Date(timeIntervalSince1970: 1_733_100_300) })
            try ledger.recordSeen(Self.ticket, callIDs: ["89f3a1b2@10.10.1.50"])
            try ledger.recordSeen(Self.posted, callIDs: ["leg-b@10.0.0.2"])
            for item in try ledger.claimDue(owner: "agent-1", limit: 2, lease: 600) {
                try ledger.advance(item.key, to: .diagnosed, owner: "agent-1")
                try ledger.recordPostIntent(item.key, owner: "agent-1", marker: "m-\(item.key.itemID)")
            }
            try ledger.recordPosted(Self.posted, marker: "m-\(Self.posted.itemID)", postedID: "1733130001.000200")
            try database.vacuum()
        }
        // The pool closed: SQLite folded the WAL into the file. Only the
        // .sqlite file is committed.
        for leftover in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: Self.fixture + leftover) }
    }

    private func openedCopy() throws -> (Scratch, StoreDatabase) {
        let scratch = try Scratch()
        let copy = scratch.path("schema-v1.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: copy)
        return (scratch, try StoreDatabase(path: copy))
    }

    @Test func aDatabaseFromTheFirstSchemaOpensAfterTheUpgrade() throws {
        let (_, database) = try openedCopy()
        #expect(try database.appliedMigrations() == StoreSchema.migrator.migrations)
        #expect(try database.integrityProblems().isEmpty)

        let index = database.traceIndex
        #expect(try index.indexedFiles(under: "/exports").map(\.path) == ["/exports/a.pcap", "/exports/b.log.gz"])
        #expect(try index.indexedFile(path: "/exports/b.log.gz")?.compressed == true)
        #expect(try index.spans(forKey: "89f3a1b2").map(\.callID) == ["89f3a1b2@10.10.1.50"])
        #expect(try index.spans(forKey: "89f3a1b2@10.10.1.50").first?.byteRange == 24..<88_000)
        #expect(try index.spans(forKey: "corr-77").map(\.kind) == [.correlation])

        let cache = database.diagnosisCache()
        #expect(try cache.stats().entries == 1)
        // A Diagnosis this build cannot decode would be a miss by design;
        // today's reads v1's.
        let hit = try cache.lookup(DiagnosisCacheKey(callIDs: ["89f3a1b2@10.10.1.50"], traceDigest: Self.digest,
                                                     engineVersion: Self.v1EngineVersion))
        #expect(hit?.storedAt == 1_733_100_200)
        #expect(hit?.diagnosis.verdict == (try StoreFixtures.diagnosis()).verdict)

        let ledger = database.ledger()
        let inFlight = try #require(try ledger.item(Self.ticket))
        #expect(inFlight.state == .diagnosed)
        #expect(inFlight.postIntent?.marker == "m-4711")
        #expect(inFlight.claim?.owner == "agent-1")
        #expect(try ledger.item(Self.posted)?.postedID == "1733130001.000200")
        // The lease ran out long ago: today's ledger hands the item on.
        #expect(try ledger.claimDue(owner: "agent-2", limit: 5, lease: 60).map(\.key) == [Self.ticket])

        // v2's table arrived empty and works.
        #expect(try database.indexedDirectories.all().isEmpty)
        let exports = IndexedDirectory(path: "/exports", maxFileBytes: 1 << 30, include: ["*.pcap"], settleSeconds: 2, indexedAt: 1)
        try database.indexedDirectories.remember(exports)
        #expect(try database.indexedDirectories.all() == [exports])
    }

    @Test func anUpgradedDatabaseHasTheSchemaOfANewOne() throws {
        let (scratch, upgraded) = try openedCopy()
        let fresh = try StoreDatabase(path: scratch.path("fresh.sqlite"))
        #expect(try upgraded.schemaStatements() == fresh.schemaStatements())
        #expect(try fresh.schemaStatements().count >= 6)
    }

    @Test func aDatabaseFromANewerAgentctlIsRefusedWithTheFix() throws {
        let scratch = try Scratch()
        let path = scratch.path("newer.sqlite")
        _ = try StoreDatabase(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        try queue.close()
        #expect(throws: StoreError.newerSchema(path: path, unknown: ["v99"])) { try StoreDatabase(path: path) }
        #expect(StoreError.newerSchema(path: path, unknown: ["v99"]).description.contains("upgrade agentctl"))
    }
}
