import Diagnosis
import TraceFormats

/// Why a call's trace could not be had, sorted so that a program can
/// branch on it (retry later, ask for another export, answer "no such
/// call") while `description` keeps the reader's own words for a person:
/// what was wrong and what to do next.
public enum CallTraceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Call-ID is not in the trace; `available` lists the Call-IDs that
    /// are, in order of first appearance (legs of other calls included).
    case notFound(callID: String, available: [String])
    /// The file or bytes hold no readable trace; `reason` says how, `message`
    /// says it to a person.
    case unreadable(path: String, reason: UnreadableReason, message: String)
    /// A format recognised and not read: a capture tool's own (Network
    /// Monitor, snoop, ERF...) or a compressed file. `format` is nil for a
    /// pcap or pcapng version agentctl does not read.
    case unsupportedFormat(path: String, format: ForeignCapture?, message: String)
    /// Over the caller's limit (`TraceLimits`); `bytes` is the size, or for
    /// a pipe what had been read when it was stopped.
    case tooLarge(path: String, bytes: Int, limit: Int, message: String)
    /// The task reading the trace was cancelled.
    case cancelled(path: String)

    public enum UnreadableReason: String, Sendable, Equatable {
        /// Missing, a directory, no permission: the path is at fault.
        case cannotOpen
        case empty
        /// Binary data that is not a capture (or text in UTF-16).
        case binary
        /// A capture that ends inside its header: cut off while written.
        case truncated
        /// A capture whose framing is broken before its first frame.
        case damaged
        /// Read as a trace but holding no SIP message (prose, a capture of
        /// other traffic, RTP without its signalling).
        case noSIP
    }

    public var description: String {
        switch self {
        case .notFound(let id, let available):
            return DiagnoseError.callIDNotFound(id, available: available).description
        case .unreadable(_, _, let message), .unsupportedFormat(_, _, let message), .tooLarge(_, _, _, let message):
            return message
        case .cancelled(let path):
            return TraceError.cancelled(path: path).description
        }
    }

    /// The reader's error, sorted; `name` is the source's, for errors that
    /// carry none.
    init(_ error: TraceError, name: String) {
        let message = error.description
        switch error {
        case .empty(let p): self = .unreadable(path: p, reason: .empty, message: message)
        case .binary(let p, _): self = .unreadable(path: p, reason: .binary, message: message)
        case .tooLarge(let p, let n, let limit), .captureTooLarge(let p, let n, let limit):
            self = .tooLarge(path: p, bytes: n, limit: limit, message: message)
        case .unrecognised(let p): self = .unreadable(path: p, reason: .noSIP, message: message)
        case .noMessages: self = .unreadable(path: name, reason: .noSIP, message: message)
        case .unreadable(let p, _): self = .unreadable(path: p, reason: .cannotOpen, message: message)
        case .cancelled: self = .cancelled(path: name)
        case .capture(let capture):
            switch capture {
            case .unreadable(let p, _), .cannotRewind(let p), .writeFailed(let p, _):
                self = .unreadable(path: p, reason: .cannotOpen, message: message)
            case .empty(let p): self = .unreadable(path: p, reason: .empty, message: message)
            case .cutInHeader(let p, _, _, _): self = .unreadable(path: p, reason: .truncated, message: message)
            case .damaged(let p, _, _, _), .notACapture(let p, _): self = .unreadable(path: p, reason: .damaged, message: message)
            case .foreign(let p, let format): self = .unsupportedFormat(path: p, format: format, message: message)
            case .unsupportedVersion(let p, _, _, _): self = .unsupportedFormat(path: p, format: nil, message: message)
            }
        }
    }
}
