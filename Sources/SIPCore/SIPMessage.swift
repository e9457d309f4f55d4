/// A SIP request or response, parsed leniently from whatever a trace held.
public struct SIPMessage: Sendable, Hashable, Codable {
    public enum StartLine: Sendable, Hashable, Codable {
        case request(method: String, uri: String)
        case response(code: Int, reason: String)
    }

    public var startLine: StartLine
    public var headers: [SIPHeader]
    /// The body as text (SDP, multipart, XML). Binary bodies are decoded
    /// lossily: the diagnosis only ever reads text bodies.
    public var body: String
    /// True when the trace elided lines of this message (`...`), so absent
    /// headers may simply not have been pasted.
    public var isElided: Bool
    /// What the parser had to forgive (a lying Content-Length, a cut-off
    /// header line): surfaced as warnings of the diagnosis.
    public var warnings: [String]

    public init(startLine: StartLine, headers: [SIPHeader], body: String = "", isElided: Bool = false, warnings: [String] = []) {
        self.startLine = startLine
        self.headers = headers
        self.body = body
        self.isElided = isElided
        self.warnings = warnings
    }

    public var isRequest: Bool { if case .request = startLine { return true } else { return false } }

    /// The request method, or nil for a response.
    public var method: String? { if case .request(let m, _) = startLine { return m } else { return nil } }
    public var requestURI: String? { if case .request(_, let u) = startLine { return u } else { return nil } }
    public var statusCode: Int? { if case .response(let c, _) = startLine { return c } else { return nil } }
    public var reasonPhrase: String? { if case .response(_, let r) = startLine { return r } else { return nil } }

    /// First value of a header, by any spelling of its name.
    public subscript(_ name: String) -> String? {
        let key = HeaderName.key(for: name)
        return headers.first { $0.key == key }?.value
    }

    /// Every value of a header: repeated lines and comma-separated lists,
    /// split where a comma is not inside quotes or angle brackets.
    public func values(_ name: String) -> [String] {
        let key = HeaderName.key(for: name)
        return headers.filter { $0.key == key }.flatMap { HeaderValue.splitList($0.value) }
    }

    public func hasHeader(_ name: String) -> Bool { self[name] != nil }

    public var callID: String? { self["call-id"].map { $0.trimmingSpaces() } }
    public var cseq: CSeq? { self["cseq"].flatMap(CSeq.init) }
    public var from: NameAddress? { self["from"].flatMap(NameAddress.init) }
    public var to: NameAddress? { self["to"].flatMap(NameAddress.init) }
    public var vias: [Via] { values("via").compactMap(Via.init) }
    /// Only the first entry is parsed: hot on the diagnosis path.
    public var topVia: Via? { self["via"].flatMap { HeaderValue.splitList($0).first }.flatMap(Via.init) }
    public var contacts: [NameAddress] { values("contact").compactMap(NameAddress.init) }
    public var userAgent: String? { self["user-agent"] ?? self["server"] }
    public var contentType: String? { self["content-type"].map { $0.trimmingSpaces().lowercased() } }
    public var contentLength: Int? { self["content-length"].flatMap { Int($0.trimmingSpaces()) } }

    /// A short label for ladders: `INVITE` or `200 OK`.
    public var summary: String {
        switch startLine {
        case .request(let m, _): return m
        case .response(let c, let r): return r.isEmpty ? "\(c)" : "\(c) \(r)"
        }
    }
}

extension String {
    /// Trims spaces and tabs only; cheaper than Foundation's character sets
    /// on the hot path.
    public func trimmingSpaces() -> String {
        let u = utf8
        var start = u.startIndex, end = u.endIndex
        while start < end, u[start] == 0x20 || u[start] == 0x09 { start = u.index(after: start) }
        while end > start {
            let p = u.index(before: end)
            if u[p] == 0x20 || u[p] == 0x09 || u[p] == 0x0D || u[p] == 0x0A { end = p } else { break }
        }
        if start == u.startIndex && end == u.endIndex { return self }
        return String(self[start..<end])
    }
}
