import SIPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a raw SIP trace chunk by chunk: every start line begins a
/// message in raw SIP, so a chunk cut just before a start line slices into
/// the same messages as the whole file would. Memory is one chunk plus
/// what the assembler keeps: with a Call-ID filter, the call's messages.
struct RawSIPStream {
    /// Bytes read at a time.
    static let chunkBytes = 4 << 20

    /// Bytes to skip at the start (a byte order mark).
    var skip: Int

    func read(_ file: TextFile, first: [UInt8], keeping filter: CallFilter?) throws -> Trace {
        var assembler = TraceAssembler(format: .rawSIP, filter: filter)
        var warnings: [String] = []
        var log = PlatformLogCollector()
        // One buffer for the whole read: the rest of a chunk moves to its
        // front and the next chunk is read in behind it. A fresh buffer per
        // chunk cost page faults and a copy.
        var capacity = max(first.count - skip, 0) + Self.chunkBytes
        var base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { base.deallocate() }
        var pending = max(first.count - skip, 0)
        first.withUnsafeBytes { head in
            if pending > 0 { base.copyMemory(from: head.baseAddress! + skip, byteCount: pending) }
        }
        var line = 0
        // Lines starting before this were already looked at for a cut.
        var checked = 1
        while true {
            let buf = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: pending)
            let cut: Int
            if file.atEnd {
                cut = pending
            } else {
                (cut, checked) = Self.lastCut(buf, from: checked)
            }
            if cut > 0 {
                checked = 1
                line = RawSIPReader.slice(UnsafeBufferPointer(rebasing: buf[0..<cut]), firstLine: line, into: &assembler, log: &log, warnings: &warnings)
                pending -= cut
                // The rest overlaps where it goes: memmove, not memcpy.
                if pending > 0 { memmove(base, base + cut, pending) }
            }
            if file.atEnd { break }
            // No start line to cut at: the chunk is one message, read on.
            if capacity - pending < Self.chunkBytes {
                capacity = pending + Self.chunkBytes
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
                grown.copyMemory(from: base, byteCount: pending)
                base.deallocate()
                base = grown
            }
            pending += try file.read(to: base + pending, count: Self.chunkBytes)
        }
        return try assembler.finish(readerWarnings: warnings, platformLog: log.lines)
    }

    /// Where the last complete start line at or after `from` begins (a
    /// line that follows a line feed and ends before the buffer does), or
    /// 0 when there is none; the chunk is cut there. Also where the
    /// incomplete last line begins, from where the next look starts, so a
    /// message of many chunks is not looked through again each time.
    static func lastCut(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> (cut: Int, checked: Int) {
        var end = buf.count
        // The last line may be incomplete: only lines with their end in
        // the buffer are looked at.
        while end > 0, buf[end - 1] != 0x0A { end -= 1 }
        let tail = max(end, from)
        while end > 0 {
            // `end` is just past a line feed; find where that line starts.
            var start = end - 1
            while start > 0, buf[start - 1] != 0x0A { start -= 1 }
            if start < from { break }
            if start > 0, SIPParser.isStartLine(buf, start..<(end - 1)) { return (start, from) }
            end = start
        }
        return (0, tail)
    }
}
