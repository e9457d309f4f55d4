import Foundation

/// A request a vendor pushed to the agent's listener (a Slack event, a
/// slash command, a Mattermost outgoing webhook), as it came: the raw
/// body, because signatures are computed over the exact bytes.
public struct InboundRequest: Sendable {
    /// The listener path it came to ("/slack/events").
    public var path: String
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: [UInt8]
    public var receivedAt: Date

    public init(path: String, headers: [String: String], body: [UInt8], receivedAt: Date = Date()) {
        self.path = path
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
        self.receivedAt = receivedAt
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What the listener answers the vendor.
public struct InboundAnswer: Sendable, Equatable {
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]

    public init(status: Int, contentType: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// 200 with no body: "received".
    public static let ok = InboundAnswer(status: 200)

    public static func text(_ text: String, status: Int = 200) -> InboundAnswer {
        InboundAnswer(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }

    public static func json(_ json: String, status: Int = 200) -> InboundAnswer {
        InboundAnswer(status: status, contentType: "application/json", body: Array(json.utf8))
    }
}

/// Threads a pushed request brought, to be recorded in the store before
/// the vendor is answered (a crash before the answer makes the vendor
/// retry; a crash after it loses nothing).
public struct InboundDelivery: Sendable {
    /// The vendor's id of the delivery, the same on its retries (Slack's
    /// `event_id`); nil when it has none.
    public var id: String?
    public var threads: [ConversationThread]

    public init(id: String?, threads: [ConversationThread]) {
        self.id = id
        self.threads = threads
    }
}

/// What a back-end made of a pushed request.
public enum InboundVerdict: Sendable {
    /// Not taken (a bad signature, a stale timestamp, a wrong token):
    /// answered as given, nothing recorded. The reason goes to the log,
    /// never to the caller.
    case refused(InboundAnswer, reason: String)
    /// Answered at once with nothing to record (url_verification, the
    /// agent's own message, an event of no interest).
    case answered(InboundAnswer)
    /// Recorded first, then answered (200 at once; the work is done
    /// asynchronously by the agent's work loop).
    case delivered(InboundDelivery, answer: InboundAnswer)
}

/// A back-end the vendor pushes to (Slack's Events API and slash commands,
/// Mattermost's outgoing webhooks) instead of one the agent polls. Its
/// `poll` has nothing to fetch; the agent's listener routes each request
/// on `inboundPaths` to `receive`, records what it delivers in the store
/// and answers. Posting and `findPost` are as for any back-end.
public protocol InboundBackend: ConversationBackend {
    /// Listener paths (each starting with "/") this back-end answers POSTs on.
    var inboundPaths: [String] { get }
    /// Verifies and reads one request. Must not block: a vendor waits a
    /// few seconds at most (Slack: 3 s) before retrying.
    func receive(_ request: InboundRequest) async -> InboundVerdict
    /// The answer to send once a `.delivered` request was recorded (or
    /// not): by default the one `receive` gave. A back-end whose vendor
    /// takes the reply in the answer (Mattermost's outgoing webhooks) waits
    /// here for the work's result, within the vendor's timeout. Called for
    /// every `.delivered` verdict, also when recording failed (the listener
    /// then answers 503 whatever this returns), so that what `receive` set
    /// up for the answer is released.
    func answer(_ answer: InboundAnswer, after delivery: InboundDelivery, recording: InboundRecording) async -> InboundAnswer
    /// Whether that answer was written out to the vendor (false: the
    /// connection was gone). A back-end that carries a post in the answer
    /// counts it as posted only then.
    func answerSent(after delivery: InboundDelivery, written: Bool) async
}

/// How the recording of a delivery went.
public enum InboundRecording: Sendable, Equatable {
    /// Taken in now: its threads became work.
    case new
    /// Taken in before (a vendor's retry): nothing new to do.
    case again
    /// Not recorded (the store failed): the vendor is asked to retry.
    case failed
}

extension InboundBackend {
    public func answer(_ answer: InboundAnswer, after delivery: InboundDelivery, recording: InboundRecording) async -> InboundAnswer {
        answer
    }

    public func answerSent(after delivery: InboundDelivery, written: Bool) async {}
}
