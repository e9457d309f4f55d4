import TraceFormats

/// A call between a phone and an SBC written in the portal format, with
/// re-INVITEs that change the media after the answer: hold and resume, or
/// a move to another port. Built in code so each test says what it changes.
enum HoldTrace {
    struct ReInvite {
        /// Seconds after the answer.
        var at: Double
        var phoneDirection = "sendrecv"
        var sbcDirection = "sendrecv"
        var phonePort = 16384
        var phoneAddress = "192.168.1.50"
    }

    static let callID = "hold-7f3a@192.168.1.50"
    /// 14:22:05.400, the answer: RTP times in the tests count from here.
    static let answer = 51_725.4

    static func clock(_ t: Double) -> String {
        let ms = Int((t * 1000).rounded())
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let frac = ms % 1000
        return "\(two(ms / 3_600_000)):\(two(ms / 60_000 % 60)):\(two(ms / 1000 % 60)).\(frac < 10 ? "00" : frac < 100 ? "0" : "")\(frac)"
    }

    static func sdp(_ address: String, _ port: Int, _ direction: String) -> String {
        "v=0\r\no=- 1 1 IN IP4 \(address)\r\ns=-\r\nc=IN IP4 \(address)\r\nt=0 0\r\nm=audio \(port) RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=\(direction)\r\n"
    }

    static func message(_ t: Double, _ from: String, _ to: String, _ start: String, cseq: String, branch: String,
                        toTag: Bool, body: String? = nil) -> String {
        var m = "[\(clock(t))] \(from) -> \(to)\n\(start)\n"
        m += "Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-\(branch)\n"
        m += "From: <sip:1001@example.com>;tag=ph1\n"
        m += "To: <sip:2002@example.com>\(toTag ? ";tag=sbc2" : "")\n"
        m += "Call-ID: \(callID)\nCSeq: \(cseq)\nContact: <sip:1001@192.168.1.50:5060>\n"
        if let body {
            m += "Content-Type: application/sdp\nContent-Length: \(body.utf8.count)\n\n\(body)"
        } else {
            m += "Content-Length: 0\n\n"
        }
        return m + "\n"
    }

    /// INVITE, 200, ACK at `answer`; the re-INVITEs (each answered 200 and
    /// ACKed); BYE `duration` seconds after the answer.
    static func trace(reInvites: [ReInvite], duration: Double) throws -> Trace {
        let a = answer
        var text = message(a - 4, "PHONE", "SBC", "INVITE sip:2002@203.0.113.10 SIP/2.0", cseq: "1 INVITE", branch: "i1", toTag: false,
                           body: sdp("192.168.1.50", 16384, "sendrecv"))
        text += message(a, "SBC", "PHONE", "SIP/2.0 200 OK", cseq: "1 INVITE", branch: "i1", toTag: true, body: sdp("203.0.113.10", 40000, "sendrecv"))
        text += message(a + 0.05, "PHONE", "SBC", "ACK sip:2002@203.0.113.10 SIP/2.0", cseq: "1 ACK", branch: "a1", toTag: true)
        for (k, r) in reInvites.enumerated() {
            let n = k + 2
            text += message(a + r.at, "PHONE", "SBC", "INVITE sip:2002@203.0.113.10 SIP/2.0", cseq: "\(n) INVITE", branch: "i\(n)", toTag: true,
                            body: sdp(r.phoneAddress, r.phonePort, r.phoneDirection))
            text += message(a + r.at + 0.05, "SBC", "PHONE", "SIP/2.0 200 OK", cseq: "\(n) INVITE", branch: "i\(n)", toTag: true,
                            body: sdp("203.0.113.10", 40000, r.sbcDirection))
            text += message(a + r.at + 0.1, "PHONE", "SBC", "ACK sip:2002@203.0.113.10 SIP/2.0", cseq: "\(n) ACK", branch: "a\(n)", toTag: true)
        }
        let n = reInvites.count + 2
        text += message(a + duration, "PHONE", "SBC", "BYE sip:2002@203.0.113.10 SIP/2.0", cseq: "\(n) BYE", branch: "b", toTag: true)
        text += message(a + duration + 0.05, "SBC", "PHONE", "SIP/2.0 200 OK", cseq: "\(n) BYE", branch: "b", toTag: true)
        return try TraceLoader.read(bytes: Array(text.utf8), name: "hold.txt")
    }
}
