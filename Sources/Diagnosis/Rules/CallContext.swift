import SIPCore
import TraceFormats

/// What a rule may look at: the call's flow, its participants and its
/// first failure, with the lookups rules share.
public struct CallContext: Sendable {
    public let flow: CallFlow
    public let participants: Participants
    public let firstFailure: FirstFailure?
    /// The call's media as the capture measured it; nil for text traces,
    /// which cannot carry RTP.
    public let media: CallMedia?
    /// Usernames whose credentials the trace shows accepted, on any call
    /// of it (a REGISTER's 200 OK, say); empty when only the call is known.
    public var acceptedCredentials = AcceptedCredentials()

    public init(flow: CallFlow, participants: Participants, firstFailure: FirstFailure?, media: CallMedia? = nil) {
        self.flow = flow
        self.participants = participants
        self.firstFailure = firstFailure
        self.media = media
    }

    public var call: Call { flow.call }
    public var messages: [CapturedMessage] { flow.call.messages }

    /// Positions of first copies (no retransmissions), in order.
    public var distinct: [Int] { flow.distinctPositions }

    /// The message at a position and its reference number for the user.
    public func message(_ pos: Int) -> SIPMessage { messages[pos].message }
    public func ref(_ pos: Int) -> Int { messages[pos].index }

    /// The SDP of the message at a position (parsed once by `CallFlow`).
    public func sdp(_ pos: Int) -> SessionDescription? { flow.sdpAt[flow.repeatOf[pos] ?? pos] }

    public func sender(_ pos: Int) -> String { participants.sender(ofMessageAt: pos).name }
    public func receiver(_ pos: Int) -> String { participants.receiver(ofMessageAt: pos).name }

    /// The first failure's status code, when it is a response.
    public var failureCode: Int? { firstFailure?.statusCode }

    /// The request the first failure answers.
    public var failedRequest: Int? {
        guard let f = firstFailure else { return nil }
        return flow.transaction(of: f.position)?.request ?? f.position
    }

    /// Distinct positions of requests with this method.
    public func requests(_ method: String) -> [Int] {
        distinct.filter { messages[$0].message.method == method }
    }

    /// Distinct positions of responses with this code.
    public func responses(_ code: Int) -> [Int] {
        distinct.filter { messages[$0].message.statusCode == code }
    }

    /// True when an INVITE of the call got a 2xx and it was ACKed.
    public var wasAnswered: Bool {
        flow.transactions.contains { t in
            t.method == "INVITE" && flow.succeeded(t)
        }
    }

    /// The SDP offer and answer of the initial INVITE, when present.
    public var offerAnswer: (offer: Int?, answer: Int?) {
        guard let invite = requests("INVITE").first else { return (nil, nil) }
        let offer = (sdp(invite) != nil) ? invite : nil
        let t = flow.transaction(of: invite)
        let answer = t?.responses.first { (sdp($0) != nil) && (message($0).statusCode ?? 0) < 300 }
        return (offer, answer)
    }

    /// "PHONE (10.0.0.5:5060)" for the sender of a message.
    public func describeSender(_ pos: Int) -> String { describe(participants.sender(ofMessageAt: pos)) }

    public func describeReceiver(_ pos: Int) -> String { describe(participants.receiver(ofMessageAt: pos)) }

    private func describe(_ p: Participant) -> String {
        if let a = p.address, a != p.name { return "\(p.name) (\(a))" }
        return p.name
    }
}
