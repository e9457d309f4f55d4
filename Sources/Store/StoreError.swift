/// What went wrong in the store, in words that say what to do next.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// Neither `XDG_DATA_HOME` nor `HOME` is an absolute path.
    case noDefaultLocation
    /// The file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The file was written by a newer agentctl: its schema has migrations
    /// this build does not know.
    case newerSchema(path: String, unknown: [String])
    /// A ledger operation by an owner that does not hold the item's claim
    /// (never had it, or its lease ran out and another owner took it).
    case claimNotHeld(backend: String, itemID: String, owner: String)
    /// No ledger item with this back-end and id.
    case unknownItem(backend: String, itemID: String)
    /// A ledger transition the state machine does not allow.
    case invalidTransition(backend: String, itemID: String, from: String, to: String)
    /// `recordPosted` with a marker other than the recorded post intent's.
    case postIntentMismatch(backend: String, itemID: String)
    /// The item was already posted, as `postedID`: posting again would duplicate.
    case alreadyPosted(backend: String, itemID: String, postedID: String)

    public var description: String {
        switch self {
        case .noDefaultLocation:
            return "no default database location: neither XDG_DATA_HOME nor HOME is an absolute path; pass --database PATH"
        case let .cannotOpen(path, reason):
            return "cannot open the database \(path): \(reason); check that its directory is writable, or pass --database PATH"
        case let .newerSchema(path, unknown):
            return "the database \(path) was written by a newer agentctl (unknown migrations: \(unknown.joined(separator: ", "))); upgrade agentctl or pass --database with another file"
        case let .claimNotHeld(backend, itemID, owner):
            return "\(owner) does not hold the claim on \(backend) item \(itemID) (its lease ran out or another agent took it); claim it again before going on"
        case let .unknownItem(backend, itemID):
            return "no ledger item \(backend) \(itemID); record it as seen first"
        case let .invalidTransition(backend, itemID, from, to):
            return "\(backend) item \(itemID) cannot go from \(from) to \(to)"
        case let .postIntentMismatch(backend, itemID):
            return "\(backend) item \(itemID): the post's marker is not the one recorded before posting; look the marker up on the back-end before recording a post"
        case let .alreadyPosted(backend, itemID, postedID):
            return "\(backend) item \(itemID) was already posted as \(postedID); not recording a second post"
        }
    }
}
