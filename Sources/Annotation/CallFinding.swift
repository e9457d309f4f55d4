import Diagnosis

/// What the agent found for one Call-ID of a ticket or message: the input
/// of the annotation. Every candidate the text marked as a Call-ID gets a
/// finding, so a ticket never meets silence.
public struct CallFinding: Sendable {
    public var callID: String
    public var outcome: Outcome

    public enum Outcome: Sendable {
        /// Diagnosed from the trace found at `origin` ("exports /srv/exports:
        /// a.pcap (bytes 120-8800)").
        case diagnosed(Diagnosis, origin: String)
        /// No source holds the call; `asked` names each source asked.
        case noTrace(asked: [String])
        /// A trace was found but could not be read or held no usable SIP:
        /// the annotation says so and what to attach instead.
        case unreadable(origin: String, reason: String)
        /// Sources could not be asked (down, refused) after every retry.
        case sourcesFailed([String])
    }

    public init(callID: String, outcome: Outcome) {
        self.callID = callID
        self.outcome = outcome
    }
}
