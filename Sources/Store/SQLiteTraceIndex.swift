import GRDB

/// The trace index in the store's SQLite file: `indexed_file` holds what
/// each file was when read, `call_span` where each key lies in it, indexed
/// by key for lookups and by file for replacing a file's spans.
struct SQLiteTraceIndex: TraceIndexStore {
    let database: StoreDatabase

    private static let fileColumns = "path, size, modified, inode, head_digest, format, compressed, indexed_at"

    func indexedFile(path: String) throws -> IndexedFile? {
        try database.pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.fileColumns) FROM indexed_file WHERE path = ?"),
                             arguments: [path]).map(Self.file)
        }
    }

    func indexedFiles(under directory: String) throws -> [IndexedFile] {
        // A prefix match by range, not LIKE: paths may hold % and _, and a
        // range uses the path's unique index.
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let upper = prefix.dropLast() + "0" // '0' is the character after '/'
        return try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.fileColumns) FROM indexed_file WHERE path >= ? AND path < ? ORDER BY path
                """, arguments: [prefix, String(upper)]).map(Self.file)
        }
    }

    func replace(_ file: IndexedFile, spans: [IndexedCallSpan]) throws {
        try database.pool.write { db in try Self.replace(file, spans: spans, in: db) }
    }

    func replace(_ files: [(file: IndexedFile, spans: [IndexedCallSpan])]) throws {
        try database.pool.write { db in
            for entry in files { try Self.replace(entry.file, spans: entry.spans, in: db) }
        }
    }

    private static func replace(_ file: IndexedFile, spans: [IndexedCallSpan], in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM indexed_file WHERE path = ?").execute(arguments: [file.path])
        try db.cachedStatement(sql: "INSERT INTO indexed_file (\(fileColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [file.path, file.size, file.modified, Int64(bitPattern: file.inode), file.headDigest,
                                 file.format, file.compressed, file.indexedAt])
        // The spans' own path is not stored: a span names its file's.
        let insert = try db.cachedStatement(sql: """
            INSERT INTO call_span (file_id, key_hash, key, kind, call_id, byte_start, byte_end, first_time, last_time, messages)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try SpanRows.insert(spans, fileID: db.lastInsertedRowID, with: insert, in: db)
    }

    func removeFile(path: String) throws {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM indexed_file WHERE path = ?", arguments: [path])
        }
    }

    func spans(forKey key: String) throws -> [IndexedCallSpan] {
        guard !key.utf8.contains(0) else { return [] } // never stored (SpanRows.holdsNUL)
        // A Call-ID's span may be stored under its local part's hash, in a
        // row that stands for both (SpanKind.callIDAndLocalPart): a Call-ID
        // is looked up under both hashes, and such a row found by its local
        // part reads as the local part's span.
        let own = SpanKeyHash.of(key)
        let local = SpanKind.localPart(of: key).map(SpanKeyHash.of) ?? own
        // The Call-IDs whose local part is the key: "key@" <= Call-ID <
        // "keyA" ('A' follows '@'), compared byte by byte. A key holding an
        // '@' is no local part: an empty range. SQL filters the buckets so
        // that a local part many Call-IDs share costs only its own rows.
        let calls = key.utf8.contains(UInt8(ascii: "@")) ? ("", "") : (key + "@", key + "A")
        return try database.pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT s.key, s.kind, s.call_id, f.path, s.byte_start, s.byte_end, s.first_time, s.last_time, s.messages
                FROM call_span s JOIN indexed_file f ON f.id = s.file_id
                WHERE s.key_hash IN (?, ?) AND (s.key = ? OR (s.kind = \(SpanKind.callIDAndLocalPart) AND s.key >= ? AND s.key < ?))
                ORDER BY f.path, s.byte_start
                """)
            return try Row.fetchAll(statement, arguments: [own, local, key, calls.0, calls.1]).compactMap { row in
                let stored: String = row[0]
                let code: Int = row[1]
                let kind: IndexedCallSpan.KeyKind
                let callID: String
                if stored == key {
                    kind = SpanKind.kind(code)
                    callID = row[2] ?? stored
                } else if code == SpanKind.callIDAndLocalPart, SpanKind.localPart(of: stored) == key {
                    kind = .localPart
                    callID = stored
                } else {
                    return nil // another key sharing a hash
                }
                return IndexedCallSpan(
                    key: key, kind: kind, callID: callID, path: row[3],
                    byteRange: Self.range(row[4], row[5]), firstTime: row[6], lastTime: row[7], messages: row[8])
            }
        }
    }

    private static func file(_ row: Row) -> IndexedFile {
        IndexedFile(path: row[0], size: row[1], modified: row[2], inode: UInt64(bitPattern: row[3] as Int64),
                    headDigest: row[4], format: row[5], compressed: row[6], indexedAt: row[7])
    }

    /// A range as stored; a row whose end lies before its start (which
    /// `replace` never writes) reads as empty rather than trapping.
    private static func range(_ start: Int64, _ end: Int64) -> Range<Int64> {
        start <= end ? start..<end : start..<start
    }
}
