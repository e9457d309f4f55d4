/// One of the platform's own log lines tied to the call (an Asterisk
/// `NOTICE[...]`, a FreeSWITCH `[ERR]`, a Kamailio `ERROR:`), as the
/// explanation shows it.
public struct PlatformLogEntry: Sendable, Codable, Equatable {
    /// `asterisk`, `freeswitch`, `kamailio`.
    public var platform: String
    /// `error`, `warning`, `notice`.
    public var level: String
    /// Seconds as the trace gives them (see `LadderRow.time`); nil when the line has none.
    public var time: Double?
    /// Line in the trace file, from 1.
    public var line: Int
    /// The message (`#n`) read just before it; 0 when it came first.
    public var afterMessage: Int
    public var text: String
    public var callID: String?
    /// Asterisk call id or channel, FreeSWITCH session or channel.
    public var channel: String?
    public var hangupCause: String?
    /// `call-id`, `channel` or `adjacency`: how it was tied to the call.
    public var tiedBy: String
    /// True when it sits between the first failure's request and the
    /// call's next message: the platform's words about that failure.
    public var nearFirstFailure: Bool
    /// What it names, when it says why the platform answered as it did:
    /// `no-rtp-engine`, `acl`, `no-common-codec`, `channel-limit`, `dial-plan-miss`.
    public var reason: String?

    public init(platform: String, level: String, time: Double?, line: Int, afterMessage: Int, text: String, callID: String?,
                channel: String?, hangupCause: String?, tiedBy: String, nearFirstFailure: Bool, reason: String?) {
        self.platform = platform
        self.level = level
        self.time = time
        self.line = line
        self.afterMessage = afterMessage
        self.text = text
        self.callID = callID
        self.channel = channel
        self.hangupCause = hangupCause
        self.tiedBy = tiedBy
        self.nearFirstFailure = nearFirstFailure
        self.reason = reason
    }
}
