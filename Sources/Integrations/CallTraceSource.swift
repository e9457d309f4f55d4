import TraceFormats

/// A call's trace as a source found it: its messages (the call and the
/// legs tied to it, possibly gathered from several files), where they came
/// from, and a digest of the bytes they were read from, which keys the
/// diagnosis cache so that a grown trace is diagnosed again.
public struct FoundTrace: Sendable {
    public var trace: Trace
    /// For people: "/exports/a.pcap (bytes 120-88000), /exports/b.pcap (…)",
    /// "homer https://homer.example (pcap export)".
    public var origin: String
    /// Hex SHA-256 of the bytes read, in the order read.
    public var digest: String

    public init(trace: Trace, origin: String, digest: String) {
        self.trace = trace
        self.origin = origin
        self.digest = digest
    }
}

/// Somewhere a call's trace can be found by its Call-ID alone: export
/// directories (through the index, or by scanning), a Homer capture
/// server, an HTTP API. Named apart from `Engine.TraceSource`, which is a
/// file or bytes already in hand.
public protocol CallTraceSource: Sendable {
    /// For logs and messages: "exports /srv/exports", "homer homer.example".
    var name: String { get }
    /// The call's trace, or nil when this source does not hold the call.
    /// Throws when the source could not be asked (unreachable, refused,
    /// unreadable file), with an error that says what to do.
    func findTrace(callID: String) async throws -> FoundTrace?
}
