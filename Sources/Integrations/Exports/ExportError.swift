/// Why an export directory, or one file in it, could not be indexed or
/// read; every message says what was wrong and what to do.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configured directory itself cannot be listed.
    case directoryUnreadable(path: String, reason: String)
    /// One file: refused (too large, outside the directory, not a trace)
    /// or unreadable. `reason` is the whole sentence after the path.
    case file(path: String, reason: String)
    /// The file changed between the walk and the read (rotated, replaced,
    /// still written): left for the next run.
    case changed(path: String, reason: String)
    /// The index could not be read or written.
    case store(String)

    public var description: String {
        switch self {
        case .directoryUnreadable(let p, let r): return "export directory \(p) cannot be read: \(r); check the path in the configuration (or on the command line) and that you may read it"
        case .file(let p, let r): return "\(p): \(r)"
        case .changed(let p, let r): return "\(p): \(r); left for the next run"
        case .store(let r): return "the trace index: \(r)"
        }
    }
}
