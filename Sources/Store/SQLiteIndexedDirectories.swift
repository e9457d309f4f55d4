import Foundation
import GRDB

/// `IndexedDirectories` in the store's `indexed_directory` table (schema v2).
struct SQLiteIndexedDirectories: IndexedDirectories {
    let database: StoreDatabase

    func remember(_ d: IndexedDirectory) throws {
        let include = String(decoding: try JSONEncoder().encode(d.include), as: UTF8.self)
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO indexed_directory (path, max_file_bytes, include, settle_seconds, indexed_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET max_file_bytes = excluded.max_file_bytes, include = excluded.include,
                    settle_seconds = excluded.settle_seconds, indexed_at = excluded.indexed_at
                """, arguments: [d.path, d.maxFileBytes, include, d.settleSeconds, d.indexedAt])
        }
    }

    func all() throws -> [IndexedDirectory] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT path, max_file_bytes, include, settle_seconds, indexed_at FROM indexed_directory ORDER BY path")
                .map { row in
                    let include = (try? JSONDecoder().decode([String].self, from: Data((row[2] as String).utf8))) ?? ["*"]
                    return IndexedDirectory(path: row[0], maxFileBytes: row[1], include: include, settleSeconds: row[3], indexedAt: row[4])
                }
        }
    }

    func forget(path: String) throws {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM indexed_directory WHERE path = ?", arguments: [path])
        }
    }
}
