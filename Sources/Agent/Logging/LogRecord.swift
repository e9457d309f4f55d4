import Foundation
import Logging

/// One log event made ready to write: the handler's metadata, the
/// provider's and the call's merged (the call's win), every text scrubbed
/// of registered secrets. The JSON and text handlers differ only in how
/// they print it.
struct LogRecord {
    var time: Date
    var level: Logger.Level
    var label: String
    var message: String
    var metadata: [LogPair]
    var error: String?

    init(event: LogEvent, label: String, handlerMetadata: Logger.Metadata, provider: Logger.MetadataProvider?, secrets: LogSecrets, time: Date = Date()) {
        var merged = handlerMetadata
        if let provided = provider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let own = event.metadata {
            merged.merge(own) { _, new in new }
        }
        self.time = time
        self.level = event.level
        self.label = label
        self.message = secrets.scrub(event.message.description)
        self.metadata = merged
            .map { LogPair(key: secrets.scrub($0.key), value: LogValue($0.value, secrets: secrets)) }
            .sorted { $0.key < $1.key }
        self.error = event.error.map { secrets.scrub(String(describing: $0)) }
    }

    /// RFC 3339 in UTC with milliseconds ("2026-12-02T13:41:06.123Z"):
    /// sorts as text, and every collector parses it.
    static func timestamp(_ date: Date) -> String {
        // To the nearest millisecond: a Double of seconds since 1970 holds
        // .999 as .99899…, which truncation would print as .998.
        let milliseconds1970 = (date.timeIntervalSince1970 * 1000).rounded()
        // Beyond ±3e14 years of milliseconds nothing real is dated; a
        // caller's Date.distantFuture-like sum must not trap the conversion.
        guard milliseconds1970.isFinite, abs(milliseconds1970) < 1e16 else { return "\(date.timeIntervalSince1970)" }
        let total = Int64(milliseconds1970)
        let (quotient, remainder) = total.quotientAndRemainder(dividingBy: 1000)
        var seconds = time_t(remainder < 0 ? quotient - 1 : quotient)
        let milliseconds = remainder < 0 ? remainder + 1000 : remainder
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds), 3))Z"
    }
}

/// One metadata entry (a struct: a tuple here trips the compiler's
/// recursion check).
struct LogPair {
    var key: String
    var value: LogValue
}

/// A metadata value after scrubbing, as the handlers print it.
indirect enum LogValue {
    case string(String)
    case dictionary([LogPair])
    case array([LogValue])

    init(_ value: Logger.MetadataValue, secrets: LogSecrets) {
        switch value {
        case .string(let text):
            self = .string(secrets.scrub(text))
        case .stringConvertible(let convertible):
            self = .string(secrets.scrub(convertible.description))
        case .dictionary(let dictionary):
            self = .dictionary(dictionary
                .map { LogPair(key: secrets.scrub($0.key), value: LogValue($0.value, secrets: secrets)) }
                .sorted { $0.key < $1.key })
        case .array(let values):
            self = .array(values.map { LogValue($0, secrets: secrets) })
        }
    }

    var json: String {
        switch self {
        case .string(let text):
            return JSONText.string(text)
        case .dictionary(let pairs):
            return "{" + pairs.map { JSONText.string($0.key) + ":" + $0.value.json }.joined(separator: ",") + "}"
        case .array(let values):
            return "[" + values.map(\.json).joined(separator: ",") + "]"
        }
    }

    /// key=value text: a string is quoted when it has a space, a quote or
    /// an equals sign, so that a line splits back into its pairs.
    var text: String {
        switch self {
        case .string(let text):
            let needsQuotes = text.isEmpty || text.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
            return needsQuotes ? JSONText.string(text) : text
        case .dictionary(let pairs):
            return "{" + pairs.map { "\($0.key)=\($0.value.text)" }.joined(separator: " ") + "}"
        case .array(let values):
            return "[" + values.map(\.text).joined(separator: ",") + "]"
        }
    }
}
