import Foundation

/// What one ledger item of the agent is about: the thread to answer in,
/// the Call-IDs it covers and which of them the text marked as Call-IDs
/// (a marked one with no trace is answered "no trace found"; an unmarked
/// one is dropped quietly).
public struct AgentWork: Sendable, Equatable {
    public var key: LedgerKey
    public var threadID: String
    public var threadTitle: String?
    /// Sorted and distinct.
    public var callIDs: [String]
    public var markedCallIDs: [String]
    public var engineVersion: Int
    /// When the thread was first seen, seconds since the epoch.
    public var seenAt: Double
    /// `ConversationThread.replyTo`: where to answer, when not in the
    /// thread (a Slack slash command's response_url).
    public var replyTo: String?

    public init(key: LedgerKey, threadID: String, threadTitle: String?, callIDs: [String], markedCallIDs: [String],
                engineVersion: Int, seenAt: Double, replyTo: String? = nil) {
        self.key = key
        self.threadID = threadID
        self.threadTitle = threadTitle
        self.callIDs = Array(Set(callIDs)).sorted()
        self.markedCallIDs = Array(Set(markedCallIDs)).sorted()
        self.engineVersion = engineVersion
        self.seenAt = seenAt
        self.replyTo = replyTo
    }
}

/// The post an item was answered with (or is about to be), as it left:
/// what `agentctl replay` compares a new result against.
public struct JournalPost: Sendable, Equatable {
    public var marker: String
    public var plain: String
    public var formatted: String?
    /// `TextMarkup`'s raw value.
    public var markup: String

    public init(marker: String, plain: String, formatted: String?, markup: String) {
        self.marker = marker
        self.plain = plain
        self.formatted = formatted
        self.markup = markup
    }
}

/// The agent's notes beside the ledger, in the same SQLite file: each
/// back-end's cursor, what each item is about, its findings and its post.
/// Written so that a crash anywhere loses nothing: the work row is written
/// before the ledger item, and a work row counts as covering its Call-IDs
/// only once its ledger item exists; the cursor is saved only after every
/// thread of the poll is recorded.
public protocol AgentJournal: Sendable {
    func cursor(backend: String) throws -> String?
    func saveCursor(_ cursor: String, backend: String) throws

    /// Records the item's work (the first record wins: its `seenAt`).
    func recordWork(_ work: AgentWork) throws
    func work(_ key: LedgerKey) throws -> AgentWork?
    /// The items of a thread, oldest first; all back-ends when nil.
    func works(thread: String, backend: String?) throws -> [AgentWork]
    /// The Call-IDs already covered on the thread at this engine version
    /// (by items the ledger knows, whatever their state).
    func coveredCallIDs(backend: String, thread: String, engineVersion: Int) throws -> Set<String>

    /// The findings as the agent encodes them (opaque here).
    func saveFindings(_ json: String, for key: LedgerKey) throws
    func findings(_ key: LedgerKey) throws -> String?
    /// Recorded before the post is sent.
    func savePost(_ post: JournalPost, for key: LedgerKey) throws
    func post(_ key: LedgerKey) throws -> JournalPost?

    /// Records that a pushed delivery (a Slack `event_id`, a Mattermost
    /// `post_id`) was taken in; false when it was already. The agent
    /// records the delivery's threads first and this second, so a crash in
    /// between makes the vendor's retry redo an idempotent intake rather
    /// than drop it. Deliveries older than `forgetAfter` seconds are
    /// forgotten on the way (vendors stop retrying within minutes).
    func recordDelivery(_ id: String, backend: String, forgetAfter: Double) throws -> Bool
    func hasDelivery(_ id: String, backend: String) throws -> Bool

    /// The earliest moment an unfinished item of these back-ends becomes
    /// claimable again (due and unclaimed, or its lease run out); nil when
    /// none is unfinished. `agentctl run --once` waits for it.
    func nextClaimable(backends: [String]) throws -> Double?
}
