import SIPCore
import TraceFormats

/// What in a dialog-creating INVITE says a scanner or a toll-fraud bot
/// sent it rather than a user's phone, each sign with its weight: a
/// scanner's own User-Agent is a signature; a forged header is spoofing;
/// an international or oddly prefixed number is what toll fraud dials; a
/// missing SDP or a probe extension (100, 1000) is only a hint, common in
/// honest traffic too, and never makes a verdict alone.
struct ScannerSigns {
    enum Weight: Int, Comparable {
        case hint, tollFraud, spoofing, signature
        static func < (a: Weight, b: Weight) -> Bool { a.rawValue < b.rawValue }
    }

    /// To users scanners try first.
    static let probeUsers: Set<String> = ["100", "101", "1000", "1001", "200", "0", "1", "123", "9999"]

    private(set) var signs: [(evidence: Evidence, weight: Weight)] = []
    private(set) var destination: DialledDestination?
    /// The To user, when it is one of the extensions scanners try.
    private(set) var probeExtension: String?

    init(_ c: CallContext, invite i: Int) {
        let m = c.message(i)
        let ref = [c.ref(i)]
        if let ua = m.userAgent, UserAgentKind(ua) == .scanner {
            signs.append((Evidence("User-Agent \"\(ua)\" is a known SIP scanner", messages: ref), .signature))
        }
        if let display = m.from?.displayName?.lowercased(), ["sipvicious", "friendly-scanner"].contains(where: display.contains) {
            signs.append((Evidence("From display name \"\(m.from?.displayName ?? "")\" is a scanner's", messages: ref), .signature))
        }
        let target = c.participants.receiver(ofMessageAt: i).address.flatMap(Endpoint.host)
        let source = c.participants.sender(ofMessageAt: i).address.flatMap(Endpoint.host)
        // A Via naming the target is forged only when the packet came from
        // elsewhere: two user agents on one host (a SIPp or softphone test
        // on loopback, a B2BUA calling its own port) name that host honestly.
        if let via = m.topVia?.host, let target, via == target, source != target {
            signs.append((Evidence("top Via sent-by \(via) is the target's own address: forged", messages: ref), .spoofing))
        }
        if m.from != nil, m.from?.tag == nil {
            signs.append((Evidence("From has no tag, which every real user agent sets (RFC 3261 8.1.1.3)", messages: ref), .spoofing))
        }
        if let uri = SIPURI(m.requestURI ?? "") {
            if uri.user?.isEmpty ?? true {
                signs.append((Evidence("Request-URI \(uri.raw) has no user part", messages: ref), .spoofing))
            }
            // Loopback in a request sent over the network is forged; on a
            // loopback target it is a local test call naming its own host.
            if Self.isLoopback(uri.host) || uri.user.map(Self.isLoopback) == true, !(target.map(Self.isLoopback) ?? false) {
                signs.append((Evidence("Request-URI \(uri.raw) names a loopback address", messages: ref), .spoofing))
            }
        }
        if let payload = Self.injectedAddress(inSDP: m.body) {
            signs.append((Evidence("SDP \(payload) is no address: an injection payload, which only attack tools send", messages: ref), .signature))
        }
        let caller = m.from?.uri?.number
        if let d = DialledDestination(dialled: SIPURI(m.requestURI ?? "")?.user ?? m.to?.uri?.user, caller: caller) {
            destination = d
            signs.append((Evidence("dialled \(SIPURI(m.requestURI ?? "")?.user ?? m.to?.uri?.user ?? ""): \(d.withArticle) number, what toll fraud calls", messages: ref), .tollFraud))
        }
        if c.sdp(i) == nil, m.body.isEmpty {
            signs.append((Evidence("INVITE without SDP (scanners send none; some real phones delay the offer)", messages: ref), .hint))
        }
        if let toUser = m.to?.uri?.user, Self.probeUsers.contains(toUser) {
            probeExtension = toUser
            signs.append((Evidence("To user \(toUser): the extension scanners try", messages: ref), .hint))
        }
    }

    var strongest: Weight? { signs.map(\.weight).max() }
    func count(_ w: Weight) -> Int { signs.filter { $0.weight == w }.count }
    var evidence: [Evidence] { signs.sorted { $0.weight > $1.weight }.map(\.evidence) }

    /// How sure the signs make us that no user placed this call.
    var confidence: Confidence {
        if count(.signature) > 0 { return Confidence(.high, "scanner signature in the INVITE") }
        if count(.spoofing) >= 2 { return Confidence(.high, "\(count(.spoofing)) forged headers in the INVITE") }
        if count(.spoofing) == 1 || count(.tollFraud) > 0 {
            return Confidence(.medium, "no scanner signature; \(count(.spoofing) == 1 ? "one forged header" : "the dialled number") and the unknown sender point at a probe")
        }
        return Confidence(.low, "no scanner signature: only hints (an unknown sender, a probe extension, no SDP)")
    }

    /// The first `c=` or `o=` address in an SDP body that no address or
    /// host name could be (quotes, comments, `=`): scanners probe SIP
    /// servers' databases with SQL there. Quoted as "c= address X".
    static func injectedAddress(inSDP body: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:-_[]/%")
        for line in body.split(whereSeparator: \.isNewline).prefix(200) where line.hasPrefix("c=") || line.hasPrefix("o=") {
            let fields = line.dropFirst(2).split(separator: " ")
            guard let address = line.hasPrefix("c=") ? fields.dropFirst(2).first : fields.dropFirst(5).first else { continue }
            if address.contains(where: { !allowed.contains($0) }) {
                return "\(line.prefix(1))= address \(address.prefix(80))"
            }
        }
        return nil
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h.hasPrefix("127.") || h == "::1" || h == "[::1]"
    }
}

extension CallContext {
    /// Dialog-creating INVITEs (no To tag) from a box neither the trace's
    /// labels nor `--peer` name: a re-INVITE comes from a party the call
    /// already talks to, and a named peer is known, whatever its name.
    var invitesFromStrangers: [Int] {
        requests("INVITE").filter { i in
            let from = participants.sender(ofMessageAt: i)
            return message(i).to?.tag == nil && (from.namedBy == .address || from.namedBy == .heuristic)
        }
    }

    /// The sender's address class, nil when the trace does not say.
    func senderClass(_ i: Int) -> AddressClass? {
        participants.sender(ofMessageAt: i).address.flatMap(Endpoint.host).map { AddressClass($0) }
    }

    /// True when the INVITE's target rang or answered (180, 183, 2xx).
    func rang(_ invite: Int) -> Bool {
        flow.transaction(of: invite)?.responses.contains { r in
            let code = message(r).statusCode ?? 0
            return code == 180 || code == 183 || (200..<300).contains(code)
        } ?? false
    }
}
