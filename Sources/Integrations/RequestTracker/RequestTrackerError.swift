/// Why Request Tracker could not be polled or answered, each case saying
/// what to change or check. No case carries the token.
public enum RequestTrackerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot make a request: `reason` says what to write.
    case badSettings(reason: String)

    public var description: String {
        switch self {
        case .badSettings(let reason): "Request Tracker back-end: \(reason)"
        }
    }
}
