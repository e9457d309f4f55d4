import Foundation
import GRDB
import GRDBSQLite

/// The one SQLite file that holds the diagnosis cache, the ledger and the
/// trace index, opened in WAL mode so readers never wait for the writer,
/// with a busy timeout so that two processes (the agent and
/// `agentctl index`, say) can share it: a writer that finds the file
/// locked waits for its turn rather than failing.
///
/// Created on first use, with its directory; migrated to this build's
/// schema on open. Callers see the protocols (`traceIndex`,
/// `diagnosisCache`, `ledger`), never SQL.
public final class StoreDatabase: Sendable {
    public let path: String
    let pool: DatabasePool

    /// How long a writer waits for another process's transaction before
    /// giving up with SQLITE_BUSY.
    public static let defaultBusyTimeout: TimeInterval = 10

    public convenience init(path: String, busyTimeout: TimeInterval = StoreDatabase.defaultBusyTimeout) throws {
        try self.init(path: path, busyTimeout: busyTimeout, migratingUpTo: nil)
    }

    /// `migratingUpTo` stops at an older migration: how the schema fixtures
    /// were made (StoreTests/SchemaFixtureTests.swift).
    init(path: String, busyTimeout: TimeInterval, migratingUpTo lastMigration: String?) throws {
        self.path = path
        guard !path.isEmpty else { throw StoreError.cannotOpen(path: path, reason: "the path is empty") }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try Self.makeDirectory(directory, for: path)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // The writer keeps 64 MB of pages (SQLite's default is 2 MB):
            // a file's keys go to random places of the key index, and
            // re-reading those pages from the OS cost a third of indexing
            // (docs/performance.md, "Store"). Readers keep the default: a
            // lookup touches a handful of pages.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
            // In WAL mode NORMAL keeps every committed transaction through
            // a crash or kill of the process; only a power cut can lose the
            // last ones, never corrupt the file. FULL would fsync every
            // commit, which the cache-hit path cannot afford.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
        try StoreSchema.migrate(pool, path: path, upTo: lastMigration)
    }

    /// `mkdir -p`, with the system's words for what stopped it ("Permission
    /// denied"; a file where a directory should be).
    private static func makeDirectory(_ directory: String, for path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError.cannotOpen(path: path, reason: "\(directory) is a file, not a directory")
            }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory {
            try makeDirectory(parent, for: path)
        }
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            let reason = String(cString: strerror(errno))
            throw StoreError.cannotOpen(path: path, reason: "cannot create the directory \(directory): \(reason)")
        }
    }

    /// Opens the database at `DatabaseLocation.defaultPath(environment:)`.
    public static func openDefault(environment: [String: String]) throws -> StoreDatabase {
        try StoreDatabase(path: DatabaseLocation.defaultPath(environment: environment))
    }

    public var traceIndex: any TraceIndexStore { SQLiteTraceIndex(database: self) }

    public var indexedDirectories: any IndexedDirectories { SQLiteIndexedDirectories(database: self) }
    /// `clock` stamps stores and hits (tests pass their own).
    public func diagnosisCache(clock: @escaping @Sendable () -> Date = { Date() }) -> any DiagnosisCache {
        SQLiteDiagnosisCache(database: self, clock: clock)
    }

    /// `clock` is read inside each transaction (tests pass their own).
    public func ledger(policy: RetryPolicy = RetryPolicy(), clock: @escaping @Sendable () -> Date = { Date() }) -> any Ledger {
        SQLiteLedger(database: self, policy: policy, clock: clock)
    }

    /// Bytes on disk: the database file and its write-ahead log.
    public func sizeOnDisk() -> Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }

    /// Bytes of SQLite page cache the writer connection holds: it grows as
    /// the agent writes, up to the 64 MiB cap set on open, and is part of
    /// the process's resident memory (the agent's `/metrics` shows it, so
    /// that a growing RSS can be told apart from a leak).
    public func writerPageCacheBytes() async -> Int64 {
        // Async: waiting for the writer must not hold a thread of the
        // (two-thread) cooperative pool.
        (try? await pool.writeWithoutTransaction { db in
            var current: Int32 = 0
            var highest: Int32 = 0
            guard sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0) == SQLITE_OK else { return 0 }
            return Int64(current)
        }) ?? 0
    }

    /// Returns once the writes queued in the background (the cache's hit
    /// records) are committed. A short-lived command calls it before
    /// exiting; a lost hit record only makes prune see the entry as older.
    public func finishWrites() {
        pool.writeWithoutTransaction { _ in }
    }

    /// Folds the write-ahead log into the file and empties it, so that
    /// `sizeOnDisk` is the file's real size.
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Rewrites the file without its free pages and empties the WAL, so the
    /// space pruned entries held goes back to the file system.
    public func vacuum() throws {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// "wal" unless something is wrong with the file system (WAL needs
    /// shared memory, which some network file systems lack).
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// What SQLite's integrity check finds wrong; empty when the file is
    /// sound.
    public func integrityProblems() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }.filter { $0 != "ok" }
    }

    /// Every table and index as SQLite records its CREATE statement, sorted:
    /// an upgraded file and a new one must have the same.
    func schemaStatements() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
        }
    }

    /// The migrations recorded in the file, in order (for `cache stats`
    /// and the upgrade test).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }
}
