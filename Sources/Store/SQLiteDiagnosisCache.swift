import Diagnosis
import Foundation
import GRDB

/// The diagnosis cache in the store's SQLite file. The key is the table's
/// primary key (a WITHOUT ROWID table, so the lookup is one B-tree
/// descent), statements are prepared once per connection, and the
/// diagnosis is stored as the JSON its Codable conformance writes.
struct SQLiteDiagnosisCache: DiagnosisCache {
    let database: StoreDatabase
    var clock: @Sendable () -> Date = { Date() }

    func lookup(_ key: DiagnosisCacheKey) throws -> CachedDiagnosis? {
        let callIDs = try Self.callIDsText(key.callIDs)
        let now = clock().timeIntervalSince1970
        // Read from a snapshot (never waiting for a writer), then record
        // the hit: a miss costs no write at all.
        let found: (Data, Double, Double?)? = try database.pool.read { db in
            let select = try db.cachedStatement(sql: """
                SELECT diagnosis, stored_at, last_hit_at FROM diagnosis_cache
                WHERE call_ids = ? AND trace_digest = ? AND engine_version = ?
                """)
            return try Row.fetchOne(select, arguments: [callIDs, key.traceDigest, key.engineVersion]).map { ($0[0], $0[1], $0[2]) }
        }
        guard found != nil else { return nil }
        try database.pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE diagnosis_cache SET last_hit_at = ?, hits = hits + 1
                WHERE call_ids = ? AND trace_digest = ? AND engine_version = ?
                """).execute(arguments: [now, callIDs, key.traceDigest, key.engineVersion])
        }
        guard let (json, storedAt, lastHitAt) = found else { return nil }
        // An entry this build cannot read (hand-edited, or a Diagnosis
        // field changed without an engine version bump) is a miss, and the
        // caller's store replaces it.
        guard let diagnosis = try? JSONDecoder().decode(Diagnosis.self, from: json) else { return nil }
        return CachedDiagnosis(diagnosis: diagnosis, storedAt: storedAt, lastHitAt: lastHitAt)
    }

    func store(_ diagnosis: Diagnosis, for key: DiagnosisCacheKey) throws {
        let callIDs = try Self.callIDsText(key.callIDs)
        let json = try JSONEncoder().encode(diagnosis)
        let now = clock().timeIntervalSince1970
        try database.pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO diagnosis_cache (call_ids, trace_digest, engine_version, diagnosis, stored_at, last_hit_at, hits)
                VALUES (?, ?, ?, ?, ?, NULL, 0)
                ON CONFLICT (call_ids, trace_digest, engine_version)
                DO UPDATE SET diagnosis = excluded.diagnosis, stored_at = excluded.stored_at, last_hit_at = NULL, hits = 0
                """).execute(arguments: [callIDs, key.traceDigest, key.engineVersion, json, now])
        }
    }

    func stats() throws -> DiagnosisCacheStats {
        try database.pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*), coalesce(sum(engine_version != ?), 0), coalesce(sum(length(diagnosis)), 0),
                       coalesce(sum(hits), 0), min(stored_at), max(stored_at), max(last_hit_at)
                FROM diagnosis_cache
                """, arguments: [Diagnosis.engineVersion])!
            return DiagnosisCacheStats(entries: row[0], otherEngineEntries: row[1], diagnosisBytes: row[2],
                                       totalHits: row[3], oldestStoredAt: row[4], newestStoredAt: row[5],
                                       lastHitAt: row[6])
        }
    }

    func prune(unusedSince cutoff: Double) throws -> Int {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM diagnosis_cache WHERE max(stored_at, coalesce(last_hit_at, 0)) < ?",
                           arguments: [cutoff])
            return db.changesCount
        }
    }

    /// The sorted list as one JSON array: unambiguous whatever bytes a
    /// Call-ID holds, and one spelling per set of calls.
    static func callIDsText(_ callIDs: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(callIDs), as: UTF8.self)
    }
}
