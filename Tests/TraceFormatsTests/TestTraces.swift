import Foundation

/// Small SIP texts and temp files the robustness tests build on.
enum TestTraces {
    static func invite(callID: String = "a84b4c76e66710@192.168.1.50", cseq: Int = 1, body: String = sdp,
                       contentLength: Int? = nil, eol: String = "\r\n") -> String {
        let length = contentLength ?? body.utf8.count
        return [
            "INVITE sip:+14155550123@203.0.113.10 SIP/2.0",
            "Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK776asdhds\(cseq);rport",
            "Max-Forwards: 70",
            "From: <sip:1001@192.168.1.50>;tag=1928301774",
            "To: <sip:+14155550123@203.0.113.10>",
            "Call-ID: \(callID)",
            "CSeq: \(cseq) INVITE",
            "Contact: <sip:1001@192.168.1.50:5060>",
            "Content-Type: application/sdp",
            "Content-Length: \(length)",
            "",
        ].joined(separator: eol) + eol + body.replacingOccurrences(of: "\r\n", with: eol)
    }

    static func response(_ status: String, callID: String = "a84b4c76e66710@192.168.1.50", eol: String = "\r\n") -> String {
        [
            "SIP/2.0 \(status)",
            "Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK776asdhds1;rport;received=192.168.1.50",
            "From: <sip:1001@192.168.1.50>;tag=1928301774",
            "To: <sip:+14155550123@203.0.113.10>;tag=as5f3c2b1a",
            "Call-ID: \(callID)",
            "CSeq: 1 INVITE",
            "Content-Length: 0",
            "",
        ].joined(separator: eol) + eol
    }

    static let sdp = "v=0\r\no=- 3845213901 3845213901 IN IP4 192.168.1.50\r\ns=-\r\nc=IN IP4 192.168.1.50\r\nt=0 0\r\nm=audio 16384 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"

    /// A fresh directory under the system temp dir, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trace-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
