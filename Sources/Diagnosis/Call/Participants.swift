import SIPCore
import TraceFormats

/// The boxes of the ladder and which box sent and received each message.
/// Names come from the trace's own labels, then the peer map, then a
/// heuristic (a private address sending a phone's User-Agent is PHONE),
/// and otherwise stay `ip:port`.
public struct Participants: Sendable {
    public private(set) var list: [Participant] = []
    /// For each message position in the call: (sender, receiver) indices.
    public private(set) var ends: [(from: Int, to: Int)] = []

    public init(flow: CallFlow, peers: PeerMap) {
        var keys = [String: Int]()
        var sample = [Int: (endpoint: Endpoint?, label: String?, userAgent: String?, behindNAT: Bool)]()

        func slot(_ key: String, endpoint: Endpoint?, label: String?, userAgent: String?, behindNAT: Bool = false) -> Int {
            if let i = keys[key] {
                if behindNAT { sample[i]?.behindNAT = true }
                if sample[i]?.endpoint == nil, let endpoint { sample[i]?.endpoint = endpoint }
                if sample[i]?.userAgent == nil, let userAgent { sample[i]?.userAgent = userAgent }
                return i
            }
            let i = keys.count
            keys[key] = i
            sample[i] = (endpoint, label, userAgent, behindNAT)
            return i
        }

        var ends: [(Int, Int)] = []
        for (pos, c) in flow.call.messages.enumerated() {
            let (src, dst) = Participants.inferredEnds(pos, c, flow)
            let ua = c.message.userAgent
            // A request whose Via names a private address it was not sent
            // from comes from behind NAT: a phone on a LAN, seen from outside.
            let viaHost = c.message.isRequest ? c.message.topVia?.host : nil
            let natted = viaHost.map { AddressClass($0).isUnroutable && $0 != src?.host } ?? false
            let from = slot(Participants.key(c.sourceLabel, src), endpoint: src, label: c.sourceLabel, userAgent: c.message.isRequest ? ua : nil, behindNAT: natted)
            let to = slot(Participants.key(c.destinationLabel, dst), endpoint: dst, label: c.destinationLabel, userAgent: nil)
            ends.append((from, to))
        }
        self.ends = ends

        var used = [String: Int]()
        for i in 0..<keys.count {
            let s = sample[i]!
            var name: String
            var namedBy: Participant.NamedBy
            if let label = s.label {
                name = label; namedBy = .traceLabel
            } else if let host = s.endpoint?.host, let peer = peers.name(for: host) {
                name = peer; namedBy = .peerMap
            } else if let ua = s.userAgent, UserAgentKind(ua) == .phone, s.endpoint.map({ AddressClass($0.host).isUnroutable }) ?? true || s.behindNAT {
                name = "PHONE"; namedBy = .heuristic
            } else if let ep = s.endpoint {
                name = ep.description; namedBy = .address
            } else {
                name = "?"; namedBy = .address
            }
            used[name, default: 0] += 1
            if used[name]! > 1 { name += "-\(used[name]!)" }
            list.append(Participant(name: name, address: s.endpoint?.description, namedBy: namedBy))
        }
    }

    public func sender(ofMessageAt pos: Int) -> Participant { list[ends[pos].from] }
    public func receiver(ofMessageAt pos: Int) -> Participant { list[ends[pos].to] }

    static func key(_ label: String?, _ endpoint: Endpoint?) -> String {
        if let label { return "label:" + label }
        if let endpoint { return "addr:" + endpoint.description }
        return "unknown"
    }

    /// Where a message came from and went to. Captures say; pasted raw SIP
    /// does not, so fall back on what the message itself says: a request
    /// comes from its top Via and goes to its Request-URI, a response goes
    /// back to the top Via and comes from where its request went.
    static func inferredEnds(_ pos: Int, _ c: CapturedMessage, _ flow: CallFlow) -> (Endpoint?, Endpoint?) {
        if c.source != nil || c.destination != nil || c.sourceLabel != nil || c.destinationLabel != nil {
            return (c.source, c.destination)
        }
        let m = c.message
        let via = m.topVia.map { v in Endpoint(host: v.received ?? v.host, port: v.rport ?? v.port ?? 5060) }
        if m.isRequest {
            let target = m.requestURI.flatMap(SIPURI.init).map { Endpoint(host: $0.host, port: $0.port ?? 5060) }
            return (via, target)
        }
        let requestTarget = flow.transaction(of: pos).flatMap { t -> Endpoint? in
            let req = flow.message(t.request)
            return inferredEnds(t.request, req, flow).1
        }
        // A response pasted without its request: it comes from where the
        // request was addressed, which its To names.
        let addressed = m.to?.uri.map { Endpoint(host: $0.host, port: $0.port ?? 5060) }
        return (requestTarget ?? addressed, via)
    }
}

/// What a User-Agent or Server header says the box is.
enum UserAgentKind: Equatable {
    case phone, scanner, other

    init(_ ua: String) {
        let u = ua.lowercased()
        // Short tool names must be the product token itself (`sipcli/v1.8`):
        // as substrings they would brand `SIPClient` softphones scanners.
        let products = u.split(separator: " ").map { $0.prefix { $0 != "/" } }
        if UserAgentKind.scanners.contains(where: { u.contains($0) })
            || products.contains(where: { UserAgentKind.scannerProducts.contains($0) })
            || UserAgentKind.scannerNames.contains(u.trimmingSpaces()) { self = .scanner; return }
        if UserAgentKind.phones.contains(where: { u.contains($0) }) { self = .phone; return }
        self = .other
    }

    /// Signatures no legitimate product carries, matched anywhere.
    static let scanners = ["friendly-scanner", "sipvicious", "vaxsipuseragent", "pplsip", "sundayddr", "sip-scan", "sipscan", "iwar", "simplesip"]
    /// Tool names matched as the whole product token only.
    static let scannerProducts: Set<Substring> = ["sipcli", "sipsak", "svwar", "svcrack", "svmap"]
    /// Whole User-Agent values seen only from scanners.
    static let scannerNames: Set<String> = ["sip call"]
    static let phones = ["polycom", "yealink", "grandstream", "cisco-cp", "cisco/spa", "snom", "zoiper", "bria", "x-lite",
                         "linphone", "microsip", "obihai", "fanvil", "aastra", "mitel", "panasonic", "htek", "poly/",
                         "avaya", "gigaset", "softphone", "groundwire", "counterpath", "jitsi"]
}
