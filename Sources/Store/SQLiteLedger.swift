import Foundation
import GRDB

/// The ledger in the store's SQLite file. Every operation is one IMMEDIATE
/// transaction: it takes SQLite's write lock before reading, so what it
/// checks (the claim, the state) cannot change under it, in this process
/// or another one sharing the file.
struct SQLiteLedger: Ledger {
    let database: StoreDatabase
    let policy: RetryPolicy
    let clock: @Sendable () -> Date

    private static let columns = """
        backend, item_id, call_ids, state, attempts, next_attempt_at, last_error, post_marker, post_intent_at,
        posted_id, claim_owner, claim_expires_at, created_at, updated_at
        """
    private static let active = [LedgerState.seen, .traceFound, .diagnosed].map { "'\($0.rawValue)'" }.joined(separator: ", ")

    func recordSeen(_ key: LedgerKey, callIDs: [String]) throws -> LedgerItem {
        try immediate { db, now in
            if var item = try Self.fetch(db, key) {
                let merged = Array(Set(item.callIDs).union(callIDs)).sorted()
                guard merged != item.callIDs else { return item }
                item.callIDs = merged
                item.updatedAt = now
                try Self.save(db, item)
                return item
            }
            let item = LedgerItem(key: key, callIDs: Array(Set(callIDs)).sorted(), state: .seen, attempts: 0,
                                  nextAttemptAt: now, lastError: nil, postIntent: nil, postedID: nil, claim: nil,
                                  createdAt: now, updatedAt: now)
            try Self.save(db, item)
            return item
        }
    }

    func claimDue(owner: String, limit: Int, lease: Double) throws -> [LedgerItem] {
        guard limit > 0 else { return [] }
        return try immediate { db, now in
            let due = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.columns) FROM ledger_item
                WHERE state IN (\(Self.active)) AND next_attempt_at <= ?
                  AND (claim_owner IS NULL OR claim_expires_at <= ?)
                ORDER BY next_attempt_at, backend, item_id LIMIT ?
                """), arguments: [now, now, limit]).map(Self.item)
            var claimed: [LedgerItem] = []
            for var item in due {
                item.updatedAt = now
                if item.attempts >= policy.maxAttempts {
                    // Claimed that often and never finished: most likely it
                    // crashes whoever takes it. Stop handing it out.
                    item.state = .failed
                    item.claim = nil
                    item.lastError = "gave up after \(item.attempts) attempts" + (item.lastError.map { "; last error: \($0)" } ?? "")
                } else {
                    item.attempts += 1
                    item.claim = LedgerClaim(owner: owner, expiresAt: now + lease)
                    claimed.append(item)
                }
                try Self.save(db, item)
            }
            return claimed
        }
    }

    func renew(_ key: LedgerKey, owner: String, lease: Double) throws -> LedgerItem {
        try held(key, owner: owner) { item, now in
            item.claim = LedgerClaim(owner: owner, expiresAt: now + lease)
        }
    }

    func advance(_ key: LedgerKey, to state: LedgerState, owner: String) throws -> LedgerItem {
        try held(key, owner: owner) { item, _ in
            guard state == .traceFound || state == .diagnosed, state.order >= item.state.order else {
                throw StoreError.invalidTransition(backend: key.backend, itemID: key.itemID,
                                                   from: item.state.rawValue, to: state.rawValue)
            }
            item.state = state
        }
    }

    func recordPostIntent(_ key: LedgerKey, owner: String, marker: String) throws -> LedgerItem {
        try held(key, owner: owner) { item, now in
            guard item.state == .diagnosed else {
                throw StoreError.invalidTransition(backend: key.backend, itemID: key.itemID,
                                                   from: item.state.rawValue, to: "post intent")
            }
            if let intent = item.postIntent {
                guard intent.marker == marker else {
                    throw StoreError.postIntentMismatch(backend: key.backend, itemID: key.itemID)
                }
                return
            }
            item.postIntent = PostIntent(marker: marker, at: now)
        }
    }

    func recordPosted(_ key: LedgerKey, marker: String, postedID: String) throws -> LedgerItem {
        try immediate { db, now in
            guard var item = try Self.fetch(db, key) else {
                throw StoreError.unknownItem(backend: key.backend, itemID: key.itemID)
            }
            if let posted = item.postedID {
                guard posted == postedID else {
                    throw StoreError.alreadyPosted(backend: key.backend, itemID: key.itemID, postedID: posted)
                }
                return item
            }
            guard item.postIntent?.marker == marker else {
                throw StoreError.postIntentMismatch(backend: key.backend, itemID: key.itemID)
            }
            item.state = .posted
            item.postedID = postedID
            item.claim = nil
            item.lastError = nil
            item.updatedAt = now
            try Self.save(db, item)
            return item
        }
    }

    func recordFailure(_ key: LedgerKey, owner: String, error: String, retryable: Bool) throws -> LedgerItem {
        try held(key, owner: owner) { item, now in
            item.lastError = error
            item.claim = nil
            if retryable && item.attempts < policy.maxAttempts {
                item.nextAttemptAt = now + policy.delay(afterAttempt: item.attempts)
            } else {
                item.state = .failed
            }
        }
    }

    func release(_ key: LedgerKey, owner: String) throws -> LedgerItem {
        try held(key, owner: owner) { item, _ in
            item.claim = nil
            item.attempts = max(0, item.attempts - 1)
        }
    }

    func item(_ key: LedgerKey) throws -> LedgerItem? {
        try database.pool.read { db in try Self.fetch(db, key) }
    }

    // MARK: transactions

    private func immediate<T>(_ body: (Database, Double) throws -> T) throws -> T {
        try database.pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                // The time is read once the write lock is held, so a lease
                // is compared with the moment the decision is made.
                result = try body(db, clock().timeIntervalSince1970)
                return .commit
            }
            return result!
        }
    }

    /// Changes an item its owner holds (claim present and not expired).
    private func held(_ key: LedgerKey, owner: String, _ change: (inout LedgerItem, Double) throws -> Void) throws -> LedgerItem {
        try immediate { db, now in
            guard var item = try Self.fetch(db, key) else {
                throw StoreError.unknownItem(backend: key.backend, itemID: key.itemID)
            }
            guard let claim = item.claim, claim.owner == owner, claim.expiresAt > now else {
                throw StoreError.claimNotHeld(backend: key.backend, itemID: key.itemID, owner: owner)
            }
            try change(&item, now)
            item.updatedAt = now
            try Self.save(db, item)
            return item
        }
    }

    // MARK: rows

    private static func fetch(_ db: Database, _ key: LedgerKey) throws -> LedgerItem? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM ledger_item WHERE backend = ? AND item_id = ?"),
                         arguments: [key.backend, key.itemID]).map(item)
    }

    private static func save(_ db: Database, _ item: LedgerItem) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO ledger_item (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [
                item.key.backend, item.key.itemID, try SQLiteDiagnosisCache.callIDsText(item.callIDs), item.state.rawValue,
                item.attempts, item.nextAttemptAt, item.lastError, item.postIntent?.marker, item.postIntent?.at,
                item.postedID, item.claim?.owner, item.claim?.expiresAt, item.createdAt, item.updatedAt,
            ])
    }

    private static func item(_ row: Row) -> LedgerItem {
        let callIDsText: String = row[2]
        let callIDs = (try? JSONDecoder().decode([String].self, from: Data(callIDsText.utf8))) ?? []
        let marker: String? = row[7], intentAt: Double? = row[8]
        let owner: String? = row[10], expires: Double? = row[11]
        return LedgerItem(
            key: LedgerKey(backend: row[0], itemID: row[1]), callIDs: callIDs,
            // A state this build does not know (a newer agent shares the
            // file) reads as failed: never claimed, never posted twice.
            state: LedgerState(rawValue: row[3]) ?? .failed,
            attempts: row[4], nextAttemptAt: row[5], lastError: row[6],
            postIntent: marker.map { PostIntent(marker: $0, at: intentAt ?? 0) }, postedID: row[9],
            claim: owner.map { LedgerClaim(owner: $0, expiresAt: expires ?? 0) },
            createdAt: row[12], updatedAt: row[13])
    }
}
