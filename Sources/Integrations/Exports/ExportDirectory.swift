/// A folder where a switch, an SBC or a capture box drops its traces, as
/// the configuration names it: which files to index and how much of any
/// one file the indexer may read. See docs/export-directories.md.
public struct ExportDirectory: Sendable, Equatable {
    /// As configured; the walk resolves it (symlinks included) before
    /// judging where a link leads.
    public var path: String
    /// Files larger than this on disk, or whose uncompressed stream (a
    /// .gz) grows past it, are refused with a message naming the limit.
    public var maxFileBytes: Int64
    /// Shell globs (`fnmatch`) matched against a file's path relative to
    /// the directory and against its name: `*.pcap`, `sbc-*/*.log.gz`.
    public var include: [String]
    /// Seconds between the two looks that tell a settled file from one
    /// still being written.
    public var settleSeconds: Double

    /// 2 GiB: the largest export a day's rotation produces in the field,
    /// and twice the text reader's own limit.
    public static let defaultMaxFileBytes: Int64 = 2 << 30
    public static let defaultSettleSeconds = 2.0

    public init(path: String, maxFileBytes: Int64 = defaultMaxFileBytes, include: [String] = ["*"],
                settleSeconds: Double = defaultSettleSeconds) {
        self.path = path
        self.maxFileBytes = maxFileBytes
        self.include = include
        self.settleSeconds = settleSeconds
    }

    /// `1.5 GB`, `200 MB`, `64 KB`: how the limit is named in messages.
    public var limitDescription: String { Self.bytesDescription(maxFileBytes) }

    static func bytesDescription(_ n: Int64) -> String {
        if n >= 1 << 30 { return String(format1: Double(n) / Double(1 << 30)) + " GiB" }
        if n >= 1 << 20 { return String(format1: Double(n) / Double(1 << 20)) + " MiB" }
        if n >= 1 << 10 { return String(format1: Double(n) / Double(1 << 10)) + " KiB" }
        return "\(n) bytes"
    }
}

extension String {
    /// One decimal, without a trailing `.0` (`2 GiB`, `1.5 GiB`).
    init(format1 value: Double) {
        let tenths = (value * 10).rounded()
        self = tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }
}
