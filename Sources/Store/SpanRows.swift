import GRDB
import GRDBSQLite

/// Inserting a file's spans, the index's hot path: a file of a gigabyte
/// holds hundreds of thousands of keys. Values are bound straight through
/// SQLite's C API on GRDB's prepared statement: binding through
/// `StatementArguments` boxed every value and cost as much as SQLite's own
/// work (docs/performance.md, "Store").
enum SpanRows {
    /// SQLite copies the bytes before the bind returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func insert(_ spans: [IndexedCallSpan], fileID: Int64, with statement: Statement, in db: Database) throws {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var i = spans.startIndex
        while i < spans.endIndex {
            let span = spans[i]
            i += 1
            if holdsNUL(span) { continue }
            // A Call-ID span followed by its local part's span over the same
            // extent (what the indexer writes for most calls) is one row,
            // hashed by the local part, which answers both lookups
            // (docs/store.md, "Schema v3").
            var kind = SpanKind.code(span.kind)
            var hashed = span.key
            if i < spans.endIndex, let local = SpanKind.sharedLocalPart(span, spans[i]) {
                kind = SpanKind.callIDAndLocalPart
                hashed = local
                i += 1
            }
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, fileID)
            sqlite3_bind_int64(handle, 2, SpanKeyHash.of(hashed))
            bind(span.key, at: 3, handle)
            sqlite3_bind_int64(handle, 4, Int64(kind))
            // The Call-ID is left out where it is the key (docs/store.md).
            if span.callID == span.key { sqlite3_bind_null(handle, 5) } else { bind(span.callID, at: 5, handle) }
            sqlite3_bind_int64(handle, 6, span.byteRange.lowerBound)
            sqlite3_bind_int64(handle, 7, span.byteRange.upperBound)
            bind(span.firstTime, at: 8, handle)
            bind(span.lastTime, at: 9, handle)
            sqlite3_bind_int64(handle, 10, Int64(span.messages))
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
        }
    }

    /// A key or Call-ID holding a NUL byte is not stored: GRDB reads text
    /// up to the first NUL, so it could never be looked up as written.
    /// SIP forbids NUL there; only a damaged trace has one, and such a
    /// call is still found by scanning.
    static func holdsNUL(_ span: IndexedCallSpan) -> Bool {
        span.key.utf8.contains(0) || span.callID.utf8.contains(0)
    }

    private static func bind(_ text: String, at index: Int32, _ handle: SQLiteStatement) {
        var text = text
        _ = text.withUTF8 { bytes in
            // An empty buffer may have no address, which SQLite would
            // read as NULL.
            if bytes.isEmpty {
                sqlite3_bind_text(handle, index, "", 0, transient)
            } else {
                sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(bytes.count), transient)
            }
        }
    }

    private static func bind(_ value: Double?, at index: Int32, _ handle: SQLiteStatement) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }
}

/// The span kinds' codes in the file. Part of the file format: never
/// renumber, only add.
enum SpanKind {
    /// A Call-ID's span that stands for its local part's too (schema v3):
    /// same file, same extent. Hashed by the local part, read back as
    /// either span.
    static let callIDAndLocalPart = 3

    static func code(_ kind: IndexedCallSpan.KeyKind) -> Int {
        switch kind {
        case .callID: 0
        case .localPart: 1
        case .correlation: 2
        }
    }

    /// Code 3 reads as the Call-ID's span; `SQLiteTraceIndex.spans(forKey:)`
    /// makes the local part's from it.
    static func kind(_ code: Int) -> IndexedCallSpan.KeyKind {
        switch code {
        case 1: .localPart
        case 2: .correlation
        default: .callID
        }
    }

    /// The local part when `local` is `call`'s local-part span and says
    /// nothing more than `call` does: `call` is a Call-ID's own span,
    /// `local`'s key is that Call-ID up to its first '@', and both cover
    /// the same bytes, times and messages.
    static func sharedLocalPart(_ call: IndexedCallSpan, _ local: IndexedCallSpan) -> String? {
        guard call.kind == .callID, local.kind == .localPart, call.key == call.callID, local.callID == call.key,
              local.byteRange == call.byteRange, local.firstTime == call.firstTime, local.lastTime == call.lastTime,
              local.messages == call.messages,
              let before = localPart(of: call.key), before == local.key else { return nil }
        return before
    }

    /// The bytes before the first '@', whatever their length (the length
    /// rule is the indexer's, LegKeys.localPart); nil without an '@'.
    static func localPart(of callID: String) -> String? {
        guard let at = callID.utf8.firstIndex(of: UInt8(ascii: "@")) else { return nil }
        return String(callID[..<at])
    }
}
