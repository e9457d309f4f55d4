/// What went wrong with the inbox's folders or files, and what to do.
public enum InboxError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingDirectory(String, role: String)
    case badTicket(file: String, reason: String)
    case cannotWrite(String, reason: String)
    case unusableThread(String)

    public var description: String {
        switch self {
        case let .missingDirectory(path, role):
            return "the inbox's \(role) folder \(path) does not exist or is not a folder; create it or fix the path in the configuration"
        case let .badTicket(file, reason):
            return "the ticket file \(file) is skipped: \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write the annotation \(path): \(reason); check that the out folder is writable by the agent's user"
        case let .unusableThread(id):
            return "the thread id \"\(id.prefix(80))\" cannot name an inbox folder; inbox thread ids are letters, digits, ., _ and -"
        }
    }
}
