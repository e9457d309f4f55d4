import GRDB

/// The store's schema, one migration per change. A migration, once
/// released, is never edited: a file made by an older agentctl replays
/// only the migrations it lacks, and `Fixtures/store/schema-v1.sqlite`
/// (made by v1, see StoreTests/SchemaFixture.swift) proves it still opens.
///
/// Conventions: times are seconds since the epoch (REAL); Call-ID lists
/// are JSON arrays of sorted, distinct strings, so one list has one
/// spelling; enums are stored as their raw text except span kinds, which
/// are small integers because the span table holds millions of rows.
enum StoreSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // The trace index: one row per file read, one per key per file.
            try db.execute(sql: """
                CREATE TABLE indexed_file (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    modified REAL NOT NULL,
                    inode INTEGER NOT NULL,
                    head_digest TEXT NOT NULL,
                    format TEXT NOT NULL,
                    compressed INTEGER NOT NULL,
                    indexed_at REAL NOT NULL
                );
                CREATE TABLE call_span (
                    file_id INTEGER NOT NULL REFERENCES indexed_file(id) ON DELETE CASCADE,
                    -- The index holds this 64-bit hash (SpanKeyHash), not the
                    -- key: a third of the pages, so a file's thousands of
                    -- inserts at random places rewrite a third as many.
                    key_hash INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    kind INTEGER NOT NULL,
                    -- NULL when it is the key itself (kind call-id): saves a
                    -- Call-ID's bytes on most rows.
                    call_id TEXT,
                    byte_start INTEGER NOT NULL,
                    byte_end INTEGER NOT NULL,
                    first_time REAL,
                    last_time REAL,
                    messages INTEGER NOT NULL
                );
                CREATE INDEX call_span_by_key ON call_span(key_hash);
                CREATE INDEX call_span_by_file ON call_span(file_id);
                """)
            // The diagnosis cache: a verdict is served only for the same
            // calls, the same bytes and the same engine.
            try db.execute(sql: """
                CREATE TABLE diagnosis_cache (
                    call_ids TEXT NOT NULL,
                    trace_digest TEXT NOT NULL,
                    engine_version INTEGER NOT NULL,
                    diagnosis BLOB NOT NULL,
                    stored_at REAL NOT NULL,
                    last_hit_at REAL,
                    hits INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (call_ids, trace_digest, engine_version)
                ) WITHOUT ROWID;
                """)
            // The ledger: one row per ticket or message of a back-end.
            try db.execute(sql: """
                CREATE TABLE ledger_item (
                    backend TEXT NOT NULL,
                    item_id TEXT NOT NULL,
                    call_ids TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    post_marker TEXT,
                    post_intent_at REAL,
                    posted_id TEXT,
                    claim_owner TEXT,
                    claim_expires_at REAL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (backend, item_id)
                );
                CREATE INDEX ledger_item_due ON ledger_item(state, next_attempt_at);
                """)
        }
        // The directories indexed by hand, so that a machine with no
        // configuration still knows where the index's files may be read.
        migrator.registerMigration("v2-indexed-directory") { db in
            try db.execute(sql: """
                CREATE TABLE indexed_directory (
                    path TEXT PRIMARY KEY NOT NULL,
                    max_file_bytes INTEGER NOT NULL,
                    include TEXT NOT NULL,
                    settle_seconds REAL NOT NULL,
                    indexed_at REAL NOT NULL
                );
                """)
        }
        // No table changes: from v3 a Call-ID's span that its local part's
        // would repeat (same file, same extent) is one row of kind 3,
        // hashed by the local part (SpanKind.callIDAndLocalPart, half the
        // rows to write). Rows written before stay as they are and read as
        // before; the migration is recorded so that an older agentctl,
        // which would miss kind-3 rows, refuses the file instead.
        migrator.registerMigration("v3-span-call-id-and-local-part") { _ in }
        // The agent's journal beside the ledger (AgentJournal): where each
        // back-end's poll resumes, what each ledger item is about (the
        // thread and which Call-IDs the text marked as such), and what was
        // posted, for `agentctl replay`.
        migrator.registerMigration("v4-agent-journal") { db in
            try db.execute(sql: """
                CREATE TABLE backend_cursor (
                    backend TEXT PRIMARY KEY NOT NULL,
                    cursor TEXT NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE agent_work (
                    backend TEXT NOT NULL,
                    item_id TEXT NOT NULL,
                    thread_id TEXT NOT NULL,
                    thread_title TEXT,
                    call_ids TEXT NOT NULL,
                    marked_call_ids TEXT NOT NULL,
                    engine_version INTEGER NOT NULL,
                    seen_at REAL NOT NULL,
                    findings TEXT,
                    post_marker TEXT,
                    post_plain TEXT,
                    post_formatted TEXT,
                    post_markup TEXT,
                    PRIMARY KEY (backend, item_id)
                );
                CREATE INDEX agent_work_by_thread ON agent_work(backend, thread_id, engine_version);
                """)
        }
        // Pushed back-ends (Slack, Mattermost): the deliveries taken in,
        // so that a vendor's retry of one is answered and not worked
        // twice; and where a work item answers when that is not its thread
        // (a Slack slash command's response_url).
        migrator.registerMigration("v5-agent-deliveries") { db in
            try db.execute(sql: """
                CREATE TABLE agent_delivery (
                    backend TEXT NOT NULL,
                    delivery_id TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    PRIMARY KEY (backend, delivery_id)
                );
                CREATE INDEX agent_delivery_by_age ON agent_delivery(received_at);
                ALTER TABLE agent_work ADD COLUMN reply_to TEXT;
                """)
        }
        return migrator
    }()

    static func migrate(_ writer: some DatabaseWriter, path: String, upTo lastMigration: String? = nil) throws {
        let known = Set(migrator.migrations)
        let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty {
            throw StoreError.newerSchema(path: path, unknown: unknown.sorted())
        }
        if let lastMigration {
            try migrator.migrate(writer, upTo: lastMigration)
        } else {
            try migrator.migrate(writer)
        }
    }
}
