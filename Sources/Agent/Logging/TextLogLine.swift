import Foundation
import Logging

/// One line per event for a person at a terminal:
/// `2026-12-02T13:41:06.123Z info agent.rt: polled backend=rt-noc threads=3`
/// (metadata as sorted key=value pairs, quoted when needed); a message's
/// own newlines are escaped so one event stays one line.
enum TextLogLine {
    static func line(_ record: LogRecord) -> String {
        var line = "\(LogRecord.timestamp(record.time)) \(record.level.rawValue) \(record.label): \(oneLine(record.message))"
        for pair in record.metadata {
            line += " \(pair.key)=\(pair.value.text)"
        }
        if let error = record.error {
            line += " error=\(LogValue.string(oneLine(error)).text)"
        }
        return line
    }

    private static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }
}
