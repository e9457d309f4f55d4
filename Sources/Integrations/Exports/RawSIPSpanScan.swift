import SIPCore
import TraceFormats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Indexes a raw SIP trace (messages one after another, no headings: the
/// commonest text export) without parsing a message: in raw SIP every
/// start line begins a message, as `RawSIPReader` slices it, so lines are
/// found with `memchr`, start lines told by `SIPParser.isStartLine`, and
/// each message gives its Call-ID by `SIPHeaderScan` and its correlation
/// values by a line walk, as a capture's messages do. A message's span is
/// exact here: from its start line to the next one. Raw SIP has no times.
enum RawSIPSpanScan {
    /// False when the bytes are not for this scan (a lone CR ends lines
    /// only for the readers' own line cursor): the caller reads them with
    /// the reader instead.
    static func scan(_ bytes: [UInt8], into collector: inout CallSpanCollector) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress, !TextSpanScan.hasLoneCR(buf) else { return false }
            let n = buf.count
            // A byte order mark before the first line.
            var line = n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0
            var open: Int?
            func close(_ end: Int) {
                guard let start = open else { return }
                take(UnsafeBufferPointer(rebasing: buf[start..<end]), at: start, into: &collector)
            }
            while line < n {
                let nl = memchr(base + line, 0x0A, n - line).map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) } ?? n
                // Start lines begin with a letter (a method, or `SIP/2.0`): most lines are refused on their first byte.
                let t = ByteText.trimmed(buf, line..<nl)
                if let f = t.first, (buf[f] | 0x20) >= UInt8(ascii: "a"), (buf[f] | 0x20) <= UInt8(ascii: "z"), SIPParser.isStartLine(buf, t) {
                    close(line)
                    open = line
                }
                line = nl + 1
            }
            close(n)
            return true
        }
    }

    private static func take(_ message: UnsafeBufferPointer<UInt8>, at offset: Int, into collector: inout CallSpanCollector) {
        // Leading blanks and indentation, as the reader trims them.
        var from = 0
        while from < message.count, ByteText.isSpace(message[from]) { from += 1 }
        let bytes = UnsafeBufferPointer(rebasing: message[from...])
        guard let headers = SIPParser.headersStart(bytes) else { return }
        let range = Int64(offset)..<Int64(offset + message.count)
        collector.add(message: bytes, headers: headers, range: range, time: nil)
    }
}
