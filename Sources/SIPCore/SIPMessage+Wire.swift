/// The message as it would go on the wire: what a capture we write (test
/// fixtures, benchmark captures) carries, so a text fixture can become a
/// pcap that tshark and our own reader both decode.
extension SIPMessage {
    /// Start line, headers as written, CRLF line endings, and a
    /// Content-Length that tells the truth about the body (the trace's own
    /// may have been mangled by pasting).
    public var wireText: String {
        var out: String
        switch startLine {
        case .request(let m, let uri): out = "\(m) \(uri) SIP/2.0\r\n"
        case .response(let c, let r): out = "SIP/2.0 \(c) \(r)\r\n"
        }
        let body = crlf(self.body)
        for h in headers where h.key != "content-length" { out += "\(h.name): \(h.value)\r\n" }
        out += "Content-Length: \(body.utf8.count)\r\n\r\n"
        return out + body
    }

    /// Bare LF and CR line ends become CRLF, and the body ends with one.
    private func crlf(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == 0x0A {
                if previous != 0x0D { out.append(0x0D) }
                out.append(0x0A)
            } else {
                if previous == 0x0D { out.append(0x0A) }
                if b != 0x0D { out.append(b) } else { out.append(0x0D) }
            }
            previous = b
        }
        if previous == 0x0D { out.append(0x0A) }
        if out.last != 0x0A { out += [0x0D, 0x0A] }
        return String(decoding: out, as: UTF8.self)
    }
}
