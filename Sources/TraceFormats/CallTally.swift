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
    private var index = CallIDIndex()

    public init() {}

    /// The tally of messages already read.
    public init(_ trace: Trace) {
        for m in trace.messages { add(callID: m.message.callID, timestamp: m.timestamp) }
    }

    public mutating func add(callID: String?, timestamp: Double?) {
        messages += 1
        guard let callID else { return }
        count(index.index(callID), timestamp)
    }

    /// A message whose Call-ID lies at `r` in `bytes` (`SIPHeaderScan.callIDRange`).
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, callID r: Range<Int>, timestamp: Double?) {
        messages += 1
        count(index.index(bytes, r), timestamp)
    }

    private mutating func count(_ i: Int, _ timestamp: Double?) {
        if i < entries.count {
            entries[i].messages += 1
        } else {
            entries.append(Entry(callID: index.items[i], messages: 1, firstTimestamp: timestamp))
        }
    }
}
