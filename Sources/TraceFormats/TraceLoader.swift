import Foundation
import SIPCore

/// Opens a trace file and reads it with the right reader.
/// (Minimal first version: raw SIP only; the readers replace this.)
public enum TraceLoader {
    public static func load(path: String, format: TraceFormat? = nil) throws(TraceError) -> Trace {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "no such file or no permission")
        }
        if data.isEmpty { throw .empty(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        guard let message = try? SIPParser.parse(text) else { throw .unrecognised(path: path) }
        return Trace(format: .rawSIP, messages: [CapturedMessage(index: 1, timestamp: nil, message: message, line: 1)])
    }
}
