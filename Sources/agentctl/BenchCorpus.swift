import SIPCore
import TraceFormats

/// Realistic SIP traffic generated in memory for `agentctl bench`: calls
/// of INVITE (SDP), 100 Trying, 180 Ringing, 200 OK (SDP), ACK, BYE,
/// 200 OK between a phone, the core and a carrier, each with its own
/// Call-ID, tags and branches. Every fifth call is refused with 486 Busy
/// Here instead, so the traffic is not all one shape. Deterministic: the
/// same arguments give the same bytes, so figures compare across runs.
struct BenchCorpus {
    /// The messages back to back, blank-line separated, as a raw SIP trace.
    var bytes: [UInt8] = []
    /// Each message's byte range in `bytes`.
    var ranges: [Range<Int>] = []
    /// Calls generated (call `n` has Call-ID `callID(n)`).
    var calls = 0

    /// About `megabytes` MB of messages.
    init(megabytes: Int) {
        let target = max(1, megabytes) * 1_000_000
        bytes.reserveCapacity(target + 4096)
        var call = 0
        while bytes.count < target {
            for message in Self.call(call) { append(message) }
            call += 1
        }
        calls = call
    }

    /// At least `messages` messages, in whole calls.
    init(messages: Int) {
        var call = 0
        while ranges.count < messages {
            for message in Self.call(call) { append(message) }
            call += 1
        }
        calls = call
    }

    private mutating func append(_ message: String) {
        let start = bytes.count
        bytes.append(contentsOf: message.utf8)
        ranges.append(start..<bytes.count)
        bytes.append(contentsOf: "\r\n".utf8) // separator line between messages
    }

    /// The corpus as a parsed trace, with time of day and addresses as a
    /// capture would give them.
    func trace() -> Trace {
        var messages: [CapturedMessage] = []
        messages.reserveCapacity(ranges.count)
        for (k, r) in ranges.enumerated() {
            guard let m = try? SIPParser.parse(bytes[r]) else { continue }
            let phoneSide = (k % 7) % 2 == 0
            let phone = Endpoint(host: "10.10.1.\(50 + k / 7 % 200)", port: 5060)
            let core = Endpoint(host: "10.0.0.5", port: 5060)
            messages.append(CapturedMessage(
                index: messages.count + 1, timestamp: 51_721.0 + Double(k) * 0.05,
                source: phoneSide ? phone : core, destination: phoneSide ? core : phone,
                transport: "UDP", message: m, line: 0))
        }
        return Trace(format: .rawSIP, messages: messages)
    }

    // MARK: - One call

    static func callID(_ n: Int) -> String { "\(hex(n &* 2_654_435_761))-\(hex(n))@10.10.1.\(50 + n % 200)" }

    static func call(_ n: Int) -> [String] {
        let callID = callID(n)
        let phone = "10.10.1.\(50 + n % 200)"
        let from = "\"Desk \(1000 + n % 9000)\" <sip:\(1000 + n % 9000)@pbx.example.com>;tag=\(hex(n &* 40_503))"
        let toUser = "+1415555\(String(1000 + n % 9000))"
        let toAddr = "<sip:\(toUser)@pbx.example.com>"
        let toTag = ";tag=as\(hex(n &* 7919))"
        let branch = "z9hG4bK\(hex(n &* 104_729))"
        let busy = n % 5 == 4

        func headers(_ cseq: String, to: String, branchSuffix: String = "") -> String {
            """
            Via: SIP/2.0/UDP \(phone):5060;branch=\(branch)\(branchSuffix);rport\r
            From: \(from)\r
            To: \(to)\r
            Call-ID: \(callID)\r
            CSeq: \(cseq)\r

            """
        }
        let sdp = { (host: String, port: Int) in
            "v=0\r\no=- \(n) \(n) IN IP4 \(host)\r\ns=call\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio \(port) RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n"
        }
        let offer = sdp(phone, 10_000 + 2 * (n % 5000))
        let answer = sdp("10.0.0.5", 20_000 + 2 * (n % 5000))
        let contact = "Contact: <sip:\(1000 + n % 9000)@\(phone):5060;transport=udp>\r\n"
        let ua = "User-Agent: Yealink SIP-T46U 108.86.0.45\r\n"
        let server = "Server: CoreSBC/4.2\r\n"

        var out: [String] = []
        out.append("INVITE sip:\(toUser)@pbx.example.com SIP/2.0\r\n" + headers("101 INVITE", to: toAddr)
            + contact + "Max-Forwards: 70\r\n" + ua
            + "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, UPDATE\r\n"
            + "Content-Type: application/sdp\r\nContent-Length: \(offer.utf8.count)\r\n\r\n" + offer)
        out.append("SIP/2.0 100 Trying\r\n" + headers("101 INVITE", to: toAddr) + server + "Content-Length: 0\r\n\r\n")
        out.append("SIP/2.0 180 Ringing\r\n" + headers("101 INVITE", to: toAddr + toTag) + server
            + "Contact: <sip:\(toUser)@10.0.0.5:5060>\r\nContent-Length: 0\r\n\r\n")
        if busy {
            out.append("SIP/2.0 486 Busy Here\r\n" + headers("101 INVITE", to: toAddr + toTag) + server
                + "Reason: Q.850;cause=17;text=\"User busy\"\r\nContent-Length: 0\r\n\r\n")
            out.append("ACK sip:\(toUser)@pbx.example.com SIP/2.0\r\n" + headers("101 ACK", to: toAddr + toTag)
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
            return out
        }
        out.append("SIP/2.0 200 OK\r\n" + headers("101 INVITE", to: toAddr + toTag) + server
            + "Contact: <sip:\(toUser)@10.0.0.5:5060>\r\nContent-Type: application/sdp\r\n"
            + "Content-Length: \(answer.utf8.count)\r\n\r\n" + answer)
        out.append("ACK sip:\(toUser)@10.0.0.5:5060 SIP/2.0\r\n" + headers("101 ACK", to: toAddr + toTag, branchSuffix: "a")
            + "Max-Forwards: 70\r\n" + ua + "Content-Length: 0\r\n\r\n")
        out.append("BYE sip:\(toUser)@10.0.0.5:5060 SIP/2.0\r\n" + headers("102 BYE", to: toAddr + toTag, branchSuffix: "b")
            + "Max-Forwards: 70\r\n" + ua + "Reason: Q.850;cause=16;text=\"Normal call clearing\"\r\nContent-Length: 0\r\n\r\n")
        out.append("SIP/2.0 200 OK\r\n" + headers("102 BYE", to: toAddr + toTag, branchSuffix: "b") + server
            + "Content-Length: 0\r\n\r\n")
        return out
    }

    private static func hex(_ v: Int) -> String {
        String(UInt32(truncatingIfNeeded: v), radix: 16)
    }
}
