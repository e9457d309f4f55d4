/// The trace formats of the field (domain brief section 6).
public enum TraceFormat: String, Sendable, Codable, CaseIterable {
    /// `[14:22:01.103] PHONE -> CORE` then the message.
    case portal
    /// Messages one after another, as pasted into tickets.
    case rawSIP = "raw"
    /// `U 2026/11/24 02:13:07.123456 10.0.0.5:5060 -> 203.0.113.9:5060` (ngrep, sipgrep).
    case ngrep
    /// sngrep's "save as text" export.
    case sngrep
    /// Asterisk `pjsip set logger on` output.
    case pjsip
    /// FreeSWITCH `sofia global siptrace on` output.
    case freeswitch
    /// Homer search API JSON.
    case homerJSON = "homer-json"
    /// A libpcap capture (tcpdump, Wireshark's "pcap" export).
    case pcap
    /// A pcapng capture (Wireshark's default).
    case pcapng

    /// The formats a person can force with `--input-format`: captures are
    /// told by their magic number, never guessed.
    public static let textFormats: [TraceFormat] = allCases.filter { !$0.isCapture }

    public var isCapture: Bool { self == .pcap || self == .pcapng }

    public var displayName: String {
        switch self {
        case .portal: return "portal text"
        case .rawSIP: return "raw SIP"
        case .ngrep: return "ngrep/sipgrep"
        case .sngrep: return "sngrep text export"
        case .pjsip: return "Asterisk pjsip logger"
        case .freeswitch: return "FreeSWITCH siptrace"
        case .homerJSON: return "Homer JSON"
        case .pcap: return "pcap capture"
        case .pcapng: return "pcapng capture"
        }
    }
}
