/// Why a frame gave nothing to the layers above.
public enum SkipReason: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// A link type the decoder does not read (802.11, USB, ...).
    case unknownLinkType
    /// A link-layer frame that does not carry IP (ARP, LLC, LLDP, MPLS, ...).
    case notIP
    /// Cut before the end of a header it needed.
    case truncated
    /// A header whose fields contradict themselves.
    case malformed
    /// IPsec ESP: the transport header is encrypted.
    case encrypted
    /// IP that carries neither UDP, TCP nor a tunnel (ICMP, SCTP, OSPF, ...).
    case otherProtocol
    /// Tunnels nested deeper than `Limits.maxTunnelDepth`.
    case tunnelTooDeep

    public var description: String {
        switch self {
        case .unknownLinkType: return "unknown link type"
        case .notIP: return "not IP"
        case .truncated: return "truncated"
        case .malformed: return "malformed"
        case .encrypted: return "encrypted (ESP)"
        case .otherProtocol: return "neither UDP nor TCP"
        case .tunnelTooDeep: return "tunnels nested too deep"
        }
    }
}

/// What the decoder did with a capture, for a summary line. Every frame is
/// either decoded (its IP packet reached UDP, TCP or the fragment table) or
/// skipped for exactly one reason: `frames == decoded + skippedTotal`.
public struct PacketCounts: Sendable, Equatable {
    public var frames = 0
    public var decoded = 0
    /// Payloads handed up (UDP datagrams, whole TCP messages, HEP contents).
    public var payloads = 0
    public var tcpMessages = 0
    public var hepPayloads = 0
    /// Datagrams rebuilt from IP fragments.
    public var reassembledDatagrams = 0

    // One field per reason, not a dictionary: the count is bumped per frame.
    private var unknownLinkType = 0, notIP = 0, truncated = 0, malformed = 0
    private var encrypted = 0, otherProtocol = 0, tunnelTooDeep = 0

    public init() {}

    public subscript(skipped reason: SkipReason) -> Int {
        get {
            switch reason {
            case .unknownLinkType: return unknownLinkType
            case .notIP: return notIP
            case .truncated: return truncated
            case .malformed: return malformed
            case .encrypted: return encrypted
            case .otherProtocol: return otherProtocol
            case .tunnelTooDeep: return tunnelTooDeep
            }
        }
        set {
            switch reason {
            case .unknownLinkType: unknownLinkType = newValue
            case .notIP: notIP = newValue
            case .truncated: truncated = newValue
            case .malformed: malformed = newValue
            case .encrypted: encrypted = newValue
            case .otherProtocol: otherProtocol = newValue
            case .tunnelTooDeep: tunnelTooDeep = newValue
            }
        }
    }

    public var skippedTotal: Int { SkipReason.allCases.reduce(0) { $0 + self[skipped: $1] } }

    /// The reasons that skipped at least one frame, with their counts.
    public var skipped: [SkipReason: Int] {
        var all: [SkipReason: Int] = [:]
        for reason in SkipReason.allCases where self[skipped: reason] > 0 { all[reason] = self[skipped: reason] }
        return all
    }
}
