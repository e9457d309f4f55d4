/// An SDP body (RFC 8866), reduced to what a diagnosis reads: who offers
/// which address, port, codecs, direction and security profile.
public struct SessionDescription: Sendable, Hashable, Codable {
    public struct Origin: Sendable, Hashable, Codable {
        public var username: String
        public var sessionID: String
        public var version: String
        public var address: String
    }

    public var origin: Origin?
    /// Session-level `c=` address.
    public var connectionAddress: String?
    public var sessionDirection: MediaDirection?
    public var media: [MediaDescription]

    public init?(_ text: String) {
        var origin: Origin? = nil
        var connection: String? = nil
        var direction: MediaDirection? = nil
        var media: [MediaDescription] = []
        var sawVersion = false
        // `\r\n` is one Character in Swift, so split on isNewline rather
        // than comparing with "\n" and "\r".
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters()
            guard line.count >= 2, line.utf8[line.utf8.index(after: line.utf8.startIndex)] == UInt8(ascii: "=") else { continue }
            let type = line.first!
            let value = String(line.dropFirst(2))
            switch type {
            case "v": sawVersion = true
            case "o":
                let f = value.split(separator: " ")
                if f.count >= 6 {
                    origin = Origin(username: String(f[0]), sessionID: String(f[1]), version: String(f[2]), address: String(f[5]))
                }
            case "c":
                let f = value.split(separator: " ")
                let addr = f.count >= 3 ? String(f[2].split(separator: "/").first ?? f[2]) : nil
                if media.isEmpty { connection = addr } else { media[media.count - 1].connectionAddress = addr }
            case "m":
                if let m = MediaDescription(mLine: value) { media.append(m) }
            case "a":
                if media.isEmpty {
                    if let d = MediaDirection(rawValue: value) { direction = d }
                } else {
                    media[media.count - 1].addAttribute(value)
                }
            default: break
            }
        }
        guard sawVersion || !media.isEmpty else { return nil }
        self.origin = origin
        self.connectionAddress = connection
        self.sessionDirection = direction
        self.media = media
    }

    /// The address RTP for `m` goes to: media `c=`, else session `c=`.
    public func address(of m: MediaDescription) -> String? {
        m.connectionAddress ?? connectionAddress
    }

    /// Direction of a stream: media attribute, else session, else sendrecv.
    public func direction(of m: MediaDescription) -> MediaDirection {
        m.direction ?? sessionDirection ?? .sendrecv
    }

    public var audio: MediaDescription? { media.first { $0.type == "audio" } }
}

public enum MediaDirection: String, Sendable, Hashable, Codable {
    case sendrecv, sendonly, recvonly, inactive
}

/// One `m=` section.
public struct MediaDescription: Sendable, Hashable, Codable {
    public var type: String
    public var port: Int
    /// `RTP/AVP`, `RTP/SAVP`, `RTP/SAVPF`, `UDP/TLS/RTP/SAVPF`.
    public var proto: String
    public var formats: [String]
    public var connectionAddress: String?
    public var rtpmap: [String: String]
    public var fmtp: [String: String]
    public var direction: MediaDirection?
    public var rtcpPort: Int?
    public var hasCrypto: Bool
    public var ptime: Int?

    init?(mLine: String) {
        let f = mLine.split(separator: " ")
        // A port is 16 bits; a larger number is not a port, and `port + 1`
        // (the RTCP port) must not overflow.
        guard f.count >= 3, let port = UInt16(f[1].split(separator: "/").first ?? "") else { return nil }
        type = String(f[0])
        self.port = Int(port)
        proto = String(f[2])
        formats = f.dropFirst(3).map(String.init)
        rtpmap = [:]
        fmtp = [:]
        hasCrypto = false
    }

    mutating func addAttribute(_ a: String) {
        if let d = MediaDirection(rawValue: a) { direction = d; return }
        let name: Substring, value: Substring
        if let c = a.firstIndex(of: ":") { name = a[..<c]; value = a[a.index(after: c)...] } else { name = Substring(a); value = "" }
        switch name {
        case "rtpmap":
            let p = value.split(separator: " ", maxSplits: 1)
            if p.count == 2 { rtpmap[String(p[0])] = String(p[1]) }
        case "fmtp":
            let p = value.split(separator: " ", maxSplits: 1)
            if p.count == 2 { fmtp[String(p[0])] = String(p[1]) }
        case "rtcp": rtcpPort = UInt16(value.split(separator: " ").first ?? "").map(Int.init)
        case "crypto", "fingerprint": hasCrypto = true
        case "ptime": ptime = UInt16(value).map(Int.init)
        default: break
        }
    }

    /// Secure profile (SRTP), by profile name.
    public var isSecure: Bool { proto.uppercased().contains("SAVP") }

    /// Codec names in offer order (`PCMU`, `G722`, `telephone-event`).
    public var codecNames: [String] { formats.map { codecName(for: $0) } }

    /// Codecs that carry audio, leaving out DTMF and comfort noise.
    public var voiceCodecs: [String] {
        codecNames.filter { !["telephone-event", "CN", "red", "comfort-noise"].contains($0) }
    }

    public func codecName(for payloadType: String) -> String {
        if let m = rtpmap[payloadType], let name = m.split(separator: "/").first { return String(name) }
        return StaticPayloadType.name(payloadType) ?? "PT\(payloadType)"
    }
}

/// RFC 3551 static payload types met in voice.
public enum StaticPayloadType {
    static let names: [String: String] = [
        "0": "PCMU", "3": "GSM", "4": "G723", "8": "PCMA", "9": "G722",
        "13": "CN", "15": "G728", "18": "G729",
    ]
    public static func name(_ pt: String) -> String? { names[pt] }
}
