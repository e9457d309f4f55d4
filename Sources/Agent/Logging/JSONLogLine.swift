import Foundation
import Logging

/// One JSON object per line, keys in a fixed order:
/// `{"time":"2026-12-02T13:41:06.123Z","level":"info","label":"agent.rt","message":"…","metadata":{…}}`
/// and `"error"` when the call passed one.
enum JSONLogLine {
    static func line(_ record: LogRecord) -> String {
        var line = "{\"time\":\"\(LogRecord.timestamp(record.time))\""
        line += ",\"level\":\"\(record.level.rawValue)\""
        line += ",\"label\":" + JSONText.string(record.label)
        line += ",\"message\":" + JSONText.string(record.message)
        line += ",\"metadata\":" + LogValue.dictionary(record.metadata).json
        if let error = record.error {
            line += ",\"error\":" + JSONText.string(error)
        }
        return line + "}"
    }
}
