/// A directory the capture system exports traces into, to be indexed.
public struct ExportDirectorySettings: Sendable, Equatable {
    /// Absolute; a relative path in the file is taken from the file's directory.
    public var path: String
    /// Files over this are refused, with a message naming the limit.
    public var maxFileBytes: Int
    /// Which files to read, matched against the path below `path`; empty
    /// means every file whose format the readers know.
    public var include: [FileGlob]
    /// How long a file's size and mtime must stay unchanged before it is
    /// indexed: a file still being written is left for the next pass.
    public var settleTime: Duration

    public static let defaultMaxFileBytes = 2 << 30
    public static let defaultSettleTime = Duration.seconds(10)

    public init(path: String,
                maxFileBytes: Int = defaultMaxFileBytes,
                include: [FileGlob] = [],
                settleTime: Duration = defaultSettleTime) {
        self.path = path
        self.maxFileBytes = maxFileBytes
        self.include = include
        self.settleTime = settleTime
    }
}
