import TraceFormats

/// A payload the decoder handed up, copied out of its borrowed buffer.
struct Delivered: Equatable {
    var bytes: [UInt8]
    var flow: FlowKey
    var transport: TransportPayload.Transport
    var frames: [Int]
    var timestampNanos: Int64
    var fromHEP: Bool

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Frames fed to one decoder, numbered from 1, as a capture reader would.
struct PacketRun {
    var decoder: PacketDecoder
    var delivered: [Delivered] = []
    private var number = 0

    init(limits: PacketDecoder.Limits = .init()) {
        decoder = PacketDecoder(limits: limits)
    }

    mutating func feed(_ bytes: [UInt8], linkType: LinkType = .ethernet, timeNanos: Int64? = nil, originalLength: Int? = nil) {
        number += 1
        let frame = number
        let time = timeNanos ?? 1_700_000_000_000_000_000 + Int64(frame) * 1_000_000
        var got: [Delivered] = []
        bytes.withUnsafeBytes { raw in
            decoder.decode(Frame(number: frame, timestampNanos: time, linkType: linkType,
                                 originalLength: originalLength ?? raw.count, data: raw)) { got.append(Delivered($0)) }
        }
        delivered += got
    }

    mutating func feed(_ packet: [UInt8], link: PacketBuilder.Link, timeNanos: Int64? = nil) {
        feed(PacketBuilder.frame(packet, link: link), linkType: link.linkType, timeNanos: timeNanos)
    }

    mutating func finish() {
        var got: [Delivered] = []
        decoder.finish { got.append(Delivered($0)) }
        delivered += got
    }

    var texts: [String] { delivered.map(\.text) }
    var warnings: [String] { decoder.warnings }

}

extension Delivered {
    init(_ p: TransportPayload) {
        self.init(bytes: Array(p.payload), flow: p.flow, transport: p.transport, frames: p.frames.numbers,
                  timestampNanos: p.timestampNanos, fromHEP: p.fromHEP)
    }
}

func ip(_ text: String) -> NetAddress { NetAddress(text)! }
func sock(_ text: String, _ port: UInt16) -> SocketAddress { SocketAddress(ip(text), port) }

let alice = sock("10.0.0.1", 5060)
let bob = sock("10.0.0.2", 5060)
let alice6 = sock("2001:db8::1", 5060)
let bob6 = sock("2001:db8::2", 5060)

/// A SIP request with a truthful Content-Length (or none when `lengthHeader` is nil).
func sipRequest(_ method: String = "INVITE", callID: String = "call-1", body: String = "",
                lengthHeader: String? = "Content-Length") -> String {
    var text = "\(method) sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-\(callID)\r\n"
    text += "Call-ID: \(callID)\r\nCSeq: 1 \(method)\r\n"
    if let lengthHeader { text += "\(lengthHeader): \(body.utf8.count)\r\n" }
    return text + "\r\n" + body
}

func sipResponse(_ code: Int = 200, callID: String = "call-1", body: String = "") -> String {
    "SIP/2.0 \(code) OK\r\nVia: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-\(callID)\r\nCall-ID: \(callID)\r\n"
        + "CSeq: 1 INVITE\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
}

let sdpBody = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

extension [String] {
    /// True when one line contains `fragment` (so a failed expectation prints the lines).
    func has(_ fragment: String) -> Bool { contains { $0.contains(fragment) } }
}
