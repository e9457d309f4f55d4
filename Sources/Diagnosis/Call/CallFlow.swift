import SIPCore
import TraceFormats

/// A call read as transactions: which messages are retransmissions of
/// earlier ones, and which responses answer which request.
public struct CallFlow: Sendable {
    public struct Transaction: Sendable {
        public var callID: String
        public var method: String
        public var cseq: UInt32
        /// Position in `Call.messages` of the first copy of the request.
        public var request: Int
        /// Positions of the distinct responses (retransmissions folded).
        public var responses: [Int] = []
        /// Position of the first final (>= 200) response.
        public var finalResponse: Int?
    }

    public let call: Call
    /// For each message position: the position of the message it repeats,
    /// or nil when it is a first copy.
    public private(set) var repeatOf: [Int?]
    /// For each first copy: how many times it was sent in all.
    public private(set) var sendCount: [Int]
    public private(set) var transactions: [Transaction] = []
    /// For each message position: its transaction index.
    public private(set) var transactionOf: [Int?]

    public init(call: Call) {
        self.call = call
        let n = call.messages.count
        repeatOf = Array(repeating: nil, count: n)
        sendCount = Array(repeating: 1, count: n)
        transactionOf = Array(repeating: nil, count: n)

        var firstCopy = [String: Int]()
        // One request can be captured on two segments of its path with the
        // same branch (a relay that rewrites only addresses, two capture
        // points): each copy is a transaction, answered from where it went.
        var byFullKey = [String: [Int]]()
        var byCSeq = [String: [Int]]()

        for (pos, captured) in call.messages.enumerated() {
            let m = captured.message
            let key = CallFlow.copyKey(captured)
            if let original = firstCopy[key] {
                repeatOf[pos] = original
                sendCount[original] += 1
                transactionOf[pos] = transactionOf[original]
                continue
            }
            firstCopy[key] = pos
            distinctPositions.append(pos)
            if let sdp = m.sdp { sdpAt[pos] = sdp }
            guard let cseq = m.cseq, let callID = m.callID else { continue }
            let branch = m.topVia?.branch ?? ""
            let short = callID + "\u{1}" + String(cseq.number) + "\u{1}" + cseq.method
            let full = short + "\u{1}" + branch
            if m.isRequest {
                let t = Transaction(callID: callID, method: m.method ?? cseq.method, cseq: cseq.number, request: pos)
                transactions.append(t)
                let ti = transactions.count - 1
                transactionOf[pos] = ti
                byFullKey[full, default: []].append(ti)
                byCSeq[short, default: []].append(ti)
            } else {
                func fromWhereItWent(_ candidates: [Int]) -> Int? {
                    candidates.last { i in
                        let req = call.messages[transactions[i].request]
                        return CallFlow.sameSide(req.destination, req.destinationLabel, captured.source, captured.sourceLabel)
                    } ?? candidates.last
                }
                var ti = branch.isEmpty ? nil : byFullKey[full].flatMap(fromWhereItWent)
                if ti == nil, let candidates = byCSeq[short] {
                    // No branch match (elided Via, or a hop we saw only one
                    // side of): the latest request sent to where this came from.
                    ti = fromWhereItWent(candidates)
                }
                guard let t = ti else { continue }
                transactionOf[pos] = t
                transactions[t].responses.append(pos)
                if let code = m.statusCode, code >= 200, transactions[t].finalResponse == nil {
                    transactions[t].finalResponse = pos
                }
            }
        }
    }

    /// Two copies are the same message sent again when the start line,
    /// Call-ID, CSeq, top Via (with its branch), To (with its tag) and
    /// direction all agree. A retransmission repeats these byte for byte,
    /// so the raw header text serves and nothing needs parsing.
    static func copyKey(_ c: CapturedMessage) -> String {
        let m = c.message
        var key = m.summary
        for name in ["call-id", "cseq", "via", "to"] {
            key += "\u{1}"
            key += m.headers.first { $0.key == name }?.value ?? ""
        }
        key += "\u{1}" + (c.source?.description ?? c.sourceLabel ?? "")
        key += "\u{1}" + (c.destination?.description ?? c.destinationLabel ?? "")
        return key
    }

    static func sameSide(_ a: Endpoint?, _ al: String?, _ b: Endpoint?, _ bl: String?) -> Bool {
        if let a, let b { return a == b }
        if let al, let bl { return al == bl }
        return true
    }

    public func message(_ pos: Int) -> CapturedMessage { call.messages[pos] }

    /// True when the message at `pos` is a 2xx response.
    public func isSuccess(_ pos: Int) -> Bool {
        guard let code = call.messages[pos].message.statusCode else { return false }
        return code >= 200 && code < 300
    }

    /// True when a transaction ended with a 2xx.
    public func succeeded(_ t: Transaction) -> Bool {
        guard let f = t.finalResponse else { return false }
        return isSuccess(f)
    }

    /// The transaction a message belongs to.
    public func transaction(of pos: Int) -> Transaction? { transactionOf[pos].map { transactions[$0] } }

    /// Positions of first copies, in order: the rows of the ladder. Stored:
    /// every rule walks it.
    public private(set) var distinctPositions: [Int] = []
    /// Each first copy's SDP, parsed once: rules ask for it again and again.
    public private(set) var sdpAt: [Int: SessionDescription] = [:]
}
