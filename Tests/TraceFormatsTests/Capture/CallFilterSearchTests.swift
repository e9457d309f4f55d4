import SIPCore
import Testing
import TestSupport
@testable import TraceFormats

/// The filter's byte search (16 starts at a time) finds exactly what a
/// plain search finds, at every offset and length; and the capture
/// scanner's one look at a start line answers what `isSIP` and
/// `SIPParser.headersStart` answer.
@Suite struct CallFilterSearchTests {
    /// The plain search the filter must agree with: the needle at `at`,
    /// not inside a longer Call-ID, a local part followed by `@`.
    static func plainContains(_ hay: [UInt8], _ needle: CallFilter.Needle) -> Bool {
        let n = needle.bytes.count
        guard n > 0, n <= hay.count else { return false }
        for at in 0...(hay.count - n) where Array(hay[at..<(at + n)]) == needle.bytes {
            guard at == 0 || !CallFilter.isCallIDByte(hay[at - 1]) else { continue }
            let end = at + n
            if needle.localPart ? (end < hay.count && hay[end] == UInt8(ascii: "@")) : (end == hay.count || !CallFilter.isCallIDByte(hay[end])) {
                return true
            }
        }
        return false
    }

    @Test func theSearchAgreesWithAPlainOneEverywhere() {
        var rng = SplitMix64(seed: 7)
        // Few letters, so that needles turn up often, also at the edges.
        let alphabet = Array("ab-@.; \r\n".utf8)
        var found = 0
        for round in 0..<20_000 {
            let length = Int(rng.next() % 90)
            let hay = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let n = 1 + Int(rng.next() % 6)
            var needleBytes = (0..<n).map { _ in alphabet[Int(rng.next() % 5)] }
            // Half the time a needle taken from the haystack itself.
            if round % 2 == 0, length > n {
                let at = Int(rng.next() % UInt64(length - n))
                needleBytes = Array(hay[at..<(at + n)])
            }
            let needle = CallFilter.Needle(needleBytes, localPart: round % 3 == 0)
            let expected = Self.plainContains(hay, needle)
            let got = hay.withUnsafeBufferPointer { CallFilter.contains($0, needle) }
            #expect(got == expected, "needle \(String(decoding: needleBytes, as: UTF8.self).debugDescription) in \(String(decoding: hay, as: UTF8.self).debugDescription)")
            if expected { found += 1 }
            if got != expected { break }
        }
        // The test means something only if hits were common.
        #expect(found > 2_000)
    }

    @Test func aCallIDIsFoundThroughItsLocalPart() {
        let filter = CallFilter(["a84b4c76e66710@pc33.example.com", "short@x"], inviteWindow: nil)
        // The Call-ID with a local part of 8 or more is searched for by the
        // local part alone; the short one by itself.
        #expect(filter.needles.filter(\.coveredByLocalPart).map { String(decoding: $0.bytes, as: UTF8.self) } == ["a84b4c76e66710@pc33.example.com"])
        for (text, candidate) in [("Call-ID: a84b4c76e66710@pc33.example.com\r\n", true),
                                  ("X-Call-ID: a84b4c76e66710@other.example.com\r\n", true),
                                  ("Call-ID: a84b4c76e66710x@pc33.example.com\r\n", false),
                                  ("Call-ID: short@x\r\n", true),
                                  ("Call-ID: short@xy\r\n", false)] {
            let bytes = Array(("OPTIONS sip:x SIP/2.0\r\n" + text + "\r\n").utf8)
            #expect(bytes.withUnsafeBufferPointer { filter.isCandidate($0, timestampNanos: nil) } == candidate, "\(text)")
        }
    }

    @Test func oneLookAtTheStartLineAnswersWhatTwoDid() {
        let samples = [
            "INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n\r\n",
            "INVITE sip:bob@example.com SIP/2.0\nVia: x\n\n",
            "INVITE sip:bob@example.com SIP/2.0\rVia: x\r\r",
            "SIP/2.0 200 OK\r\nVia: x\r\n\r\n",
            "sip/2.0 180 Ringing\r\n\r\n",
            "INVITE sip:bob@example.com SIP/2.0  <-- dialled\r\nVia: x\r\n\r\n",
            "INVITE sip:bob@example.com SIP/2.0 <-- note\r\n",
            "INVITE sip:bob@example.com SIP/2.0",
            "INVITE sip:bob@example.com SIP/2.0\r",
            "INVITE sip:bob@example.com SIP/2.0 \t\r\n\r\n",
            "HELLO world\r\n",
            "\r\n\r\n",
            "",
            "SIP/2.0 99 Low\r\n\r\n",
            "REGISTER sip:" + String(repeating: "a", count: 1_100) + " SIP/2.0\r\nVia: x\r\n\r\n",
            "OPTIONS sip:x SIP/2.0\r\n" + String(repeating: "X-Pad: y\r\n", count: 10),
        ]
        for text in samples {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buf in
                let isSIP = SIPPayloadCheck.isSIP(buf)
                switch SIPPayloadCheck.look(buf) {
                case .notSIP:
                    #expect(!isSIP, "\(text.debugDescription)")
                case .sip(let headers):
                    #expect(isSIP, "\(text.debugDescription)")
                    #expect(headers == SIPParser.headersStart(buf), "\(text.debugDescription)")
                }
            }
        }
    }
}
