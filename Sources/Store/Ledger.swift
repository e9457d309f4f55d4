/// One ticket or message of one back-end, as the ledger knows it.
public struct LedgerKey: Sendable, Hashable, CustomStringConvertible {
    /// The configured back-end's name ("rt-noc", "slack-voip").
    public var backend: String
    /// The ticket or message id as the back-end spells it.
    public var itemID: String

    public init(backend: String, itemID: String) {
        self.backend = backend
        self.itemID = itemID
    }

    public var description: String { "\(backend) \(itemID)" }
}

/// Where an item stands. Work moves forward through seen, trace found and
/// diagnosed to posted; failed is the end of an item the agent gave up
/// on. See docs/store.md for the state machine.
public enum LedgerState: String, Sendable, Codable, CaseIterable {
    case seen
    case traceFound = "trace-found"
    case diagnosed
    case posted
    case failed

    /// Posted and failed items are never claimed again.
    public var isFinal: Bool { self == .posted || self == .failed }

    /// The work states in order; `advance` only moves forward along them.
    var order: Int {
        switch self {
        case .seen: 0
        case .traceFound: 1
        case .diagnosed: 2
        case .posted: 3
        case .failed: 4
        }
    }
}

/// Who holds an item, until when (seconds since the epoch).
public struct LedgerClaim: Sendable, Equatable {
    public var owner: String
    public var expiresAt: Double
}

/// Recorded before the post is sent: the marker the post carries (so a
/// later claimant can find it on the back-end) and when.
public struct PostIntent: Sendable, Equatable {
    public var marker: String
    public var at: Double
}

public struct LedgerItem: Sendable, Equatable {
    public var key: LedgerKey
    /// Every Call-ID seen in the item, sorted and distinct.
    public var callIDs: [String]
    public var state: LedgerState
    /// Claims taken so far (a claim that ended in a crash counts).
    public var attempts: Int
    public var nextAttemptAt: Double
    public var lastError: String?
    public var postIntent: PostIntent?
    /// The back-end's id of what was posted (a comment id, a message ts).
    public var postedID: String?
    public var claim: LedgerClaim?
    public var createdAt: Double
    public var updatedAt: Double
}

/// The ledger the agent calls: what it has seen of each back-end, what it
/// did about it, and who is doing it now. Narrow on purpose (values in,
/// values out, no SQL): a later step puts several agents on one shared
/// PostgreSQL ledger behind this same protocol.
///
/// Exactly-once posting is built on it so (docs/store.md has the why):
/// claim, work, `recordPostIntent` with a marker the post will carry,
/// post, `recordPosted`. A claimant that finds an intent without a posted
/// id looks the marker up on the back-end before posting again.
public protocol Ledger: Sendable {
    /// Records an item (state seen, due now) or adds Call-IDs to a known
    /// one, whatever its state.
    @discardableResult
    func recordSeen(_ key: LedgerKey, callIDs: [String]) throws -> LedgerItem

    /// Claims up to `limit` due items that no one holds (or whose holder's
    /// lease ran out) for `owner`, for `lease` seconds, in one IMMEDIATE
    /// transaction: two owners never come away with the same item. An item
    /// claimed `RetryPolicy.maxAttempts` times already is marked failed
    /// instead of being handed out again.
    func claimDue(owner: String, limit: Int, lease: Double) throws -> [LedgerItem]

    /// Extends the holder's lease (before a slow step such as posting).
    @discardableResult
    func renew(_ key: LedgerKey, owner: String, lease: Double) throws -> LedgerItem

    /// Moves a held item forward to trace found or diagnosed.
    @discardableResult
    func advance(_ key: LedgerKey, to state: LedgerState, owner: String) throws -> LedgerItem

    /// Records, before posting, that a post carrying `marker` is about to
    /// be sent. Again with the same marker is a no-op; with another, an
    /// error (the earlier post may have gone out).
    @discardableResult
    func recordPostIntent(_ key: LedgerKey, owner: String, marker: String) throws -> LedgerItem

    /// Records, after posting, the back-end's id of the post. Needs the
    /// intent's marker, not the claim: a post that went out is recorded
    /// even if the lease ran out meanwhile. The item becomes posted and
    /// is released.
    @discardableResult
    func recordPosted(_ key: LedgerKey, marker: String, postedID: String) throws -> LedgerItem

    /// Records what went wrong and releases the item: due again after the
    /// policy's back-off when `retryable` and attempts remain, else failed.
    @discardableResult
    func recordFailure(_ key: LedgerKey, owner: String, error: String, retryable: Bool) throws -> LedgerItem

    /// Gives a held item back, due at once, this attempt not counted (a
    /// shutdown, not a failure).
    @discardableResult
    func release(_ key: LedgerKey, owner: String) throws -> LedgerItem

    func item(_ key: LedgerKey) throws -> LedgerItem?
}
