/// A password or token the caller resolved (from the environment or a
/// file named in the configuration) and handed over as a value. It prints
/// as `<secret>` wherever it lands, in an error, a log line, `dump` or a
/// debugger, so that only the code that puts it on the wire reads it.
public struct ResolvedSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The value itself: read only to build the request that carries it.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
