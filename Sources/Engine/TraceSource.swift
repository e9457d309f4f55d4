/// Where a trace comes from: a file (text or capture, told apart by its
/// first bytes), or bytes already in memory (a chat attachment, an HTTP
/// body); `name` stands for the path in errors.
public enum TraceSource: Sendable, Equatable {
    case file(path: String)
    case bytes([UInt8], name: String)

    /// The path, or the name given to the bytes.
    public var name: String {
        switch self {
        case .file(let path): return path
        case .bytes(_, let name): return name
        }
    }
}
