/// An export directory `agentctl index DIR` was given, with the rules it
/// was indexed by, remembered so that a later `diagnose --call-id ID` (or
/// `agentctl index` with no argument) on a machine with no configuration
/// knows where the index's files may be read from.
public struct IndexedDirectory: Sendable, Equatable {
    /// Absolute, as resolved when indexed.
    public var path: String
    public var maxFileBytes: Int64
    public var include: [String]
    public var settleSeconds: Double
    /// When it was last indexed, seconds since the epoch.
    public var indexedAt: Double

    public init(path: String, maxFileBytes: Int64, include: [String], settleSeconds: Double, indexedAt: Double) {
        self.path = path
        self.maxFileBytes = maxFileBytes
        self.include = include
        self.settleSeconds = settleSeconds
        self.indexedAt = indexedAt
    }
}

/// The directories indexed by hand, newest rules winning.
public protocol IndexedDirectories: Sendable {
    func remember(_ directory: IndexedDirectory) throws
    func all() throws -> [IndexedDirectory]
    func forget(path: String) throws
}
