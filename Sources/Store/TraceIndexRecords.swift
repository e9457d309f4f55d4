/// A file the trace index has read, as it was when read: enough to tell
/// on the next look whether it grew, was rotated, replaced or deleted.
public struct IndexedFile: Sendable, Equatable {
    /// Absolute, with symlinks resolved inside the configured directory.
    public var path: String
    public var size: Int64
    /// Modification time, seconds since the epoch.
    public var modified: Double
    public var inode: UInt64
    /// Hex digest of the file's first bytes (the indexer decides how many):
    /// a rotated file reusing a name and size still differs here.
    public var headDigest: String
    /// What the file was read as: a `TraceFormat` raw value, or "pcap" /
    /// "pcapng"; ".gz" files name what they hold.
    public var format: String
    public var compressed: Bool
    /// When the index read it, seconds since the epoch.
    public var indexedAt: Double

    public init(path: String, size: Int64, modified: Double, inode: UInt64, headDigest: String, format: String,
                compressed: Bool, indexedAt: Double) {
        self.path = path
        self.size = size
        self.modified = modified
        self.inode = inode
        self.headDigest = headDigest
        self.format = format
        self.compressed = compressed
        self.indexedAt = indexedAt
    }
}

/// Where one key of a call lies in one file. A call's messages may be
/// spread over several files (rotation) and its legs over several
/// Call-IDs; a lookup gathers every span of every key it is given.
public struct IndexedCallSpan: Sendable, Equatable {
    /// What the key is: the Call-ID itself, the Call-ID's local part (the
    /// part before '@', which B2BUAs often keep), or a correlation value a
    /// leg tie uses (X-Call-ID, Session-ID, icid).
    public enum KeyKind: String, Sendable, Codable, CaseIterable {
        case callID = "call-id"
        case localPart = "local-part"
        case correlation
    }

    public var key: String
    public var kind: KeyKind
    /// The Call-ID of the messages that carry the key.
    public var callID: String
    public var path: String
    /// Bytes [lowerBound, upperBound) of the file's content (of the
    /// uncompressed stream for a .gz file) that hold every message of
    /// `callID` in it: for a capture, from the first frame's record header
    /// to the end of the last frame.
    public var byteRange: Range<Int64>
    /// Seconds since the epoch (or of the day, as the trace gives it).
    public var firstTime: Double?
    public var lastTime: Double?
    public var messages: Int

    public init(key: String, kind: KeyKind, callID: String, path: String, byteRange: Range<Int64>,
                firstTime: Double?, lastTime: Double?, messages: Int) {
        self.key = key
        self.kind = kind
        self.callID = callID
        self.path = path
        self.byteRange = byteRange
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.messages = messages
    }
}

/// The trace index as the indexer and the lookup use it. Each file is
/// replaced whole in one transaction, so an indexer killed mid-run leaves
/// every file either fully indexed as it was or not at all.
public protocol TraceIndexStore: Sendable {
    func indexedFile(path: String) throws -> IndexedFile?
    /// Every file indexed under a directory (prefix match on the path).
    func indexedFiles(under directory: String) throws -> [IndexedFile]
    /// Forgets what was known of `file.path` and records it anew, spans
    /// included, in one transaction.
    func replace(_ file: IndexedFile, spans: [IndexedCallSpan]) throws
    /// Several files, each replaced as `replace(_:spans:)` does, in one
    /// transaction: an indexer reading many small files batches them, since
    /// a commit's cost grows with the index, not with the file
    /// (docs/performance.md, "Store"). All of the batch or none is kept.
    func replace(_ files: [(file: IndexedFile, spans: [IndexedCallSpan])]) throws
    func removeFile(path: String) throws
    /// The spans of a key, of any kind, across all files.
    func spans(forKey key: String) throws -> [IndexedCallSpan]
}

extension TraceIndexStore {
    /// One transaction a file, for stores with nothing better to do.
    public func replace(_ files: [(file: IndexedFile, spans: [IndexedCallSpan])]) throws {
        for entry in files { try replace(entry.file, spans: entry.spans) }
    }
}
