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
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM indexed_file WHERE path = ?", arguments: [file.path])
            try db.execute(sql: """
                INSERT INTO indexed_file (\(Self.fileColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [file.path, file.size, file.modified, Int64(bitPattern: file.inode), file.headDigest,
                                 file.format, file.compressed, file.indexedAt])
            let fileID = db.lastInsertedRowID
            let insert = try db.cachedStatement(sql: """
                INSERT INTO call_span (file_id, key, kind, call_id, byte_start, byte_end, first_time, last_time, messages)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for span in spans {
                // The span's path is the file's: a span names no other file.
                try insert.execute(arguments: [
                    fileID, span.key, Self.code(span.kind), span.callID == span.key ? nil : span.callID,
                    span.byteRange.lowerBound, span.byteRange.upperBound, span.firstTime, span.lastTime, span.messages,
                ])
            }
        }
    }

    func removeFile(path: String) throws {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM indexed_file WHERE path = ?", arguments: [path])
        }
    }

    func spans(forKey key: String) throws -> [IndexedCallSpan] {
        try database.pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT s.key, s.kind, s.call_id, f.path, s.byte_start, s.byte_end, s.first_time, s.last_time, s.messages
                FROM call_span s JOIN indexed_file f ON f.id = s.file_id
                WHERE s.key = ? ORDER BY f.path, s.byte_start
                """)
            return try Row.fetchAll(statement, arguments: [key]).map { row in
                let key: String = row[0]
                return IndexedCallSpan(
                    key: key, kind: Self.kind(row[1]), callID: row[2] ?? key, path: row[3],
                    byteRange: Self.range(row[4], row[5]), firstTime: row[6], lastTime: row[7], messages: row[8])
            }
        }
    }

    private static func file(_ row: Row) -> IndexedFile {
        IndexedFile(path: row[0], size: row[1], modified: row[2], inode: UInt64(bitPattern: row[3] as Int64),
                    headDigest: row[4], format: row[5], compressed: row[6], indexedAt: row[7])
    }

    // Codes are part of the file format: never renumber, only add.
    private static func code(_ kind: IndexedCallSpan.KeyKind) -> Int {
        switch kind {
        case .callID: 0
        case .localPart: 1
        case .correlation: 2
        }
    }

    private static func kind(_ code: Int) -> IndexedCallSpan.KeyKind {
        switch code {
        case 1: .localPart
        case 2: .correlation
        default: .callID
        }
    }

    /// A range as stored; a row whose end lies before its start (which
    /// `replace` never writes) reads as empty rather than trapping.
    private static func range(_ start: Int64, _ end: Int64) -> Range<Int64> {
        start <= end ? start..<end : start..<start
    }
}
