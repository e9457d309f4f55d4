/// A line the SIP platform itself logged between the messages of a text
/// trace pasted from its console: Asterisk `ERROR[...]`, `WARNING[...]`,
/// `NOTICE[...]`; FreeSWITCH `[ERR]`, `[WARNING]`, `[NOTICE]` (and
/// `[CRIT]`, `[ALERT]`); Kamailio `ERROR:`, `WARNING:`, `NOTICE:`,
/// `CRITICAL:`. These are often the only place the platform says why it
/// answered as it did ("extension not found in context", "No joint
/// capabilities"), so they are kept, with what they name, instead of being
/// skipped as text outside any message. Informational and debug lines
/// (Asterisk `VERBOSE`, FreeSWITCH `[INFO]`/`[DEBUG]`) are not kept.
public struct PlatformLogLine: Sendable, Hashable, Codable {
    public enum Platform: String, Sendable, Codable {
        case asterisk, freeswitch, kamailio

        /// How the platform is named to the user.
        public var name: String {
            switch self {
            case .asterisk: "Asterisk"
            case .freeswitch: "FreeSWITCH"
            case .kamailio: "Kamailio"
            }
        }
    }

    public enum Level: String, Sendable, Codable {
        case error, warning, notice
    }

    public var platform: Platform
    public var level: Level
    /// Seconds as the trace gives them: since the epoch with a date, since
    /// midnight with a time of day only; nil when the line has no time
    /// (Kamailio writing to stderr).
    public var time: Double?
    /// What the platform said, after its time, level and thread prefix:
    /// `res_pjsip_session.c:3456 new_invite: Call from '1001' ...`.
    public var text: String
    /// 1-based line in the trace file.
    public var line: Int
    /// The reference (`#n`) of the last SIP message read before this line,
    /// 0 when none came before: how adjacency to a transaction is judged.
    public var afterMessage: Int
    /// A SIP Call-ID the line quotes (`callid: ...`, `Call-ID=...`).
    public var callID: String?
    /// The channel or session the line belongs to: Asterisk's call id
    /// (`C-00000042`) or channel (`PJSIP/1001-00000003`), FreeSWITCH's
    /// session UUID or channel (`sofia/internal/1001@10.0.0.5`).
    public var channel: String?
    /// A hangup cause the line reports (FreeSWITCH's `Hangup ... [CAUSE]`).
    public var hangupCause: String?

    public init(platform: Platform, level: Level, time: Double?, text: String, line: Int, afterMessage: Int = 0,
                callID: String? = nil, channel: String? = nil, hangupCause: String? = nil) {
        self.platform = platform
        self.level = level
        self.time = time
        self.text = text
        self.line = line
        self.afterMessage = afterMessage
        self.callID = callID
        self.channel = channel
        self.hangupCause = hangupCause
    }
}
