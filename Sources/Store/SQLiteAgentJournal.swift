import Foundation
import GRDB

/// The journal in the store's SQLite file (tables of migration v4).
struct SQLiteAgentJournal: AgentJournal {
    let database: StoreDatabase
    let clock: @Sendable () -> Date

    func cursor(backend: String) throws -> String? {
        try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT cursor FROM backend_cursor WHERE backend = ?", arguments: [backend])
        }
    }

    func saveCursor(_ cursor: String, backend: String) throws {
        let now = clock().timeIntervalSince1970
        try database.pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO backend_cursor (backend, cursor, updated_at) VALUES (?, ?, ?)",
                           arguments: [backend, cursor, now])
        }
    }

    func recordWork(_ work: AgentWork) throws {
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO agent_work
                  (backend, item_id, thread_id, thread_title, call_ids, marked_call_ids, engine_version, seen_at, reply_to)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [work.key.backend, work.key.itemID, work.threadID, work.threadTitle,
                                 try SQLiteDiagnosisCache.callIDsText(work.callIDs),
                                 try SQLiteDiagnosisCache.callIDsText(work.markedCallIDs), work.engineVersion, work.seenAt,
                                 work.replyTo])
        }
    }

    private static let workColumns = "backend, item_id, thread_id, thread_title, call_ids, marked_call_ids, engine_version, seen_at, reply_to"

    func work(_ key: LedgerKey) throws -> AgentWork? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.workColumns) FROM agent_work WHERE backend = ? AND item_id = ?",
                             arguments: [key.backend, key.itemID]).map(Self.work)
        }
    }

    func works(thread: String, backend: String?) throws -> [AgentWork] {
        try database.pool.read { db in
            if let backend {
                return try Row.fetchAll(db, sql: """
                    SELECT \(Self.workColumns) FROM agent_work WHERE backend = ? AND thread_id = ? ORDER BY seen_at, rowid
                    """, arguments: [backend, thread]).map(Self.work)
            }
            return try Row.fetchAll(db, sql: "SELECT \(Self.workColumns) FROM agent_work WHERE thread_id = ? ORDER BY seen_at, rowid",
                                    arguments: [thread]).map(Self.work)
        }
    }

    func coveredCallIDs(backend: String, thread: String, engineVersion: Int) throws -> Set<String> {
        try database.pool.read { db in
            let lists = try String.fetchAll(db, sql: """
                SELECT w.call_ids FROM agent_work w
                JOIN ledger_item l ON l.backend = w.backend AND l.item_id = w.item_id
                WHERE w.backend = ? AND w.thread_id = ? AND w.engine_version = ?
                """, arguments: [backend, thread, engineVersion])
            return Set(lists.flatMap(Self.decode))
        }
    }

    func saveFindings(_ json: String, for key: LedgerKey) throws {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE agent_work SET findings = ? WHERE backend = ? AND item_id = ?",
                           arguments: [json, key.backend, key.itemID])
        }
    }

    func findings(_ key: LedgerKey) throws -> String? {
        try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT findings FROM agent_work WHERE backend = ? AND item_id = ?",
                                arguments: [key.backend, key.itemID])
        }
    }

    func savePost(_ post: JournalPost, for key: LedgerKey) throws {
        try database.pool.write { db in
            try db.execute(sql: """
                UPDATE agent_work SET post_marker = ?, post_plain = ?, post_formatted = ?, post_markup = ?
                WHERE backend = ? AND item_id = ?
                """, arguments: [post.marker, post.plain, post.formatted, post.markup, key.backend, key.itemID])
        }
    }

    func post(_ key: LedgerKey) throws -> JournalPost? {
        try database.pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT post_marker, post_plain, post_formatted, post_markup FROM agent_work WHERE backend = ? AND item_id = ?
                """, arguments: [key.backend, key.itemID]) else { return nil }
            let marker: String? = row[0], plain: String? = row[1], markup: String? = row[3]
            guard let marker, let plain else { return nil }
            return JournalPost(marker: marker, plain: plain, formatted: row[2], markup: markup ?? "plain")
        }
    }

    func nextClaimable(backends: [String]) throws -> Double? {
        guard !backends.isEmpty else { return nil }
        let marks = Array(repeating: "?", count: backends.count).joined(separator: ", ")
        return try database.pool.read { db in
            try Double.fetchOne(db, sql: """
                SELECT MIN(MAX(next_attempt_at, COALESCE(claim_expires_at, 0))) FROM ledger_item
                WHERE state IN ('seen', 'trace-found', 'diagnosed') AND backend IN (\(marks))
                """, arguments: StatementArguments(backends))
        }
    }

    func recordDelivery(_ id: String, backend: String, forgetAfter: Double) throws -> Bool {
        let now = clock().timeIntervalSince1970
        return try database.pool.write { db in
            try db.execute(sql: "DELETE FROM agent_delivery WHERE received_at < ?", arguments: [now - forgetAfter])
            try db.execute(sql: "INSERT OR IGNORE INTO agent_delivery (backend, delivery_id, received_at) VALUES (?, ?, ?)",
                           arguments: [backend, id, now])
            return db.changesCount > 0
        }
    }

    func hasDelivery(_ id: String, backend: String) throws -> Bool {
        try database.pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM agent_delivery WHERE backend = ? AND delivery_id = ?",
                              arguments: [backend, id]) ?? false
        }
    }

    private static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    private static func work(_ row: Row) -> AgentWork {
        AgentWork(key: LedgerKey(backend: row[0], itemID: row[1]), threadID: row[2], threadTitle: row[3],
                  callIDs: decode(row[4]), markedCallIDs: decode(row[5]), engineVersion: row[6], seenAt: row[7], replyTo: row[8])
    }
}

extension StoreDatabase {
    /// The agent's journal beside the ledger (cursors, work, posts).
    public func agentJournal(clock: @escaping @Sendable () -> Date = { Date() }) -> any AgentJournal {
        SQLiteAgentJournal(database: self, clock: clock)
    }
}
