import SIPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TraceFormats

/// Indexes a text trace (any of the seven formats): the trace is read by
/// its own reader, as a diagnosis reads it, and each message's place in
/// the bytes is found from the line it starts on. A message's span runs
/// from the start line of the message before it (so the heading above a
/// message, whatever its format writes there, is inside) to the start
/// line of the message after it; the lookup reads that range with the
/// file's reader and keeps the messages of the call. Homer JSON is one
/// document, which no range of it can be read as: its spans are the file.
enum TextSpanScan {
    static func scan(_ bytes: [UInt8], name: String, into collector: inout CallSpanCollector) throws(TraceError) -> Trace {
        let trace = try TraceLoader.read(bytes: bytes, name: name)
        let whole = trace.format == .homerJSON || trace.messages.contains { $0.line <= 0 }
        let starts = whole ? [] : lineStarts(bytes, lines: trace.messages.map(\.line))
        let end = Int64(bytes.count)
        for (k, m) in trace.messages.enumerated() {
            let range: Range<Int64>
            if whole {
                range = 0..<end
            } else {
                let lo = k > 0 ? starts[k - 1] : 0
                let hi = k + 1 < starts.count ? starts[k + 1] : end
                range = lo..<max(lo, hi)
            }
            guard let id = m.message.callID else {
                collector.addWithoutCallID()
                continue
            }
            collector.add(callID: id, range: range, time: m.timestamp, correlation: LegKeys.correlationValues(m.message))
        }
        return trace
    }

    /// The byte offset at which each of `lines` (1-based, in increasing
    /// order) starts, counting lines as the readers do (`LineCursor`: LF,
    /// CRLF or a lone CR ends one). Line feeds are found with `memchr`;
    /// a file with a lone CR is counted by `LineCursor` itself.
    static func lineStarts(_ bytes: [UInt8], lines: [Int]) -> [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(lines.count)
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            let n = buf.count
            if hasLoneCR(buf) {
                var cursor = LineCursor(buf)
                var line = 1, start = 0
                for wanted in lines {
                    while line < wanted, cursor.next() != nil {
                        line += 1
                        start = cursor.position
                    }
                    out.append(Int64(start))
                }
                return
            }
            var line = 1, start = 0
            for wanted in lines {
                while line < wanted, start < n, let nl = memchr(base + start, 0x0A, n - start) {
                    start = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(nl)) + 1
                    line += 1
                }
                out.append(Int64(start))
            }
        }
        return out
    }

    /// A CR not followed by LF: a line end only `LineCursor` counts right.
    static func hasLoneCR(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buf.baseAddress else { return false }
        var at = 0
        while at < buf.count, let cr = memchr(base + at, 0x0D, buf.count - at) {
            let i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(cr))
            if i + 1 >= buf.count || buf[i + 1] != 0x0A { return true }
            at = i + 1
        }
        return false
    }
}
