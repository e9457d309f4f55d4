/// The Call-IDs of a trace with their message counts and first times, in
/// first-seen order: what `agentctl calls` lists. A capture is tallied
/// without parsing a message (`SIPHeaderScan`) and without keeping one,
/// so memory follows the number of calls, not the file.
public struct CallTally: Sendable {
    public struct Entry: Sendable, Equatable {
        public var callID: String
        public var messages: Int
        /// Seconds since the epoch (or of the day, as the trace gives it).
        public var firstTimestamp: Double?
    }

    public private(set) var entries: [Entry] = []
    /// SIP messages counted, with a Call-ID or not.
    public private(set) var messages = 0
    private var index: [String: Int] = [:]

    public init() {}

    /// The tally of messages already read.
    public init(_ trace: Trace) {
        for m in trace.messages { add(callID: m.message.callID, timestamp: m.timestamp) }
    }

    public mutating func add(callID: String?, timestamp: Double?) {
        messages += 1
        guard let callID else { return }
        if let i = index[callID] {
            entries[i].messages += 1
        } else {
            index[callID] = entries.count
            entries.append(Entry(callID: callID, messages: 1, firstTimestamp: timestamp))
        }
    }
}
