/// Why a capture file could not be read or written, in words that say what
/// the file is and what to do next. Every case carries the path (or the
/// name given for in-memory data).
public enum CaptureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Opening or reading failed at the system level.
    case unreadable(path: String, reason: String)
    case empty(path: String)
    /// The file stops inside its file header (pcap) or first block (pcapng).
    case cutInHeader(path: String, format: CaptureFormat, headerBytes: Int, fileBytes: Int)
    case foreign(path: String, ForeignCapture)
    /// Not a capture at all; `firstBytes` in hex for the message.
    case notACapture(path: String, firstBytes: String)
    case unsupportedVersion(path: String, format: CaptureFormat, major: Int, minor: Int)
    /// The framing broke: a length no valid file has, a trailer that does not
    /// match. `frame` is the frame being read (from 1), `offset` the byte
    /// offset of its record or block.
    case damaged(path: String, frame: Int, offset: Int, detail: String)
    /// `rewind()` on a pipe.
    case cannotRewind(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let reason):
            return "cannot read \(p): \(reason)"
        case .empty(let p):
            return "\(p) is empty (0 bytes): the capture was never written to; capture again and stop the capture (Ctrl-C) before copying the file"
        case .cutInHeader(let p, let format, let header, let size):
            let what = format == .pcapng ? "first \(header)-byte block (the section header)" : "\(header)-byte file header"
            return "\(p) ends inside its \(what), after \(size) byte\(size == 1 ? "" : "s"): the capture is empty or was cut off; capture again"
        case .foreign(let p, let f):
            if case .compressed = f {
                return "\(p) is \(f.name), not a capture: \(f.advice(path: p))"
            }
            return "\(p) is \(f.name), which agentctl cannot read: \(f.advice(path: p))"
        case .notACapture(let p, let head):
            return "\(p) is not a pcap or pcapng capture (it starts with bytes \(head)): pass a capture saved by tcpdump, Wireshark, tshark or sngrep, or a text trace"
        case .unsupportedVersion(let p, let format, let major, let minor):
            return "\(p) is a \(format == .pcapng ? "pcapng" : "pcap") file of version \(major).\(minor), which agentctl cannot read: open it in Wireshark and save it as pcapng"
        case .damaged(let p, let frame, let offset, let detail):
            return "\(p) is damaged at byte \(offset), in frame \(frame): \(detail); no frame could be read. Check it with `capinfos \(p)`; if Wireshark opens it, save it again as pcapng"
        case .cannotRewind(let p):
            return "cannot read \(p) twice: it is a pipe, not a file; save the capture to a file first"
        case .writeFailed(let p, let reason):
            return "cannot write \(p): \(reason); check the folder exists, that you may write there and that the disk is not full"
        }
    }
}
