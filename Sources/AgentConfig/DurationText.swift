/// A duration the way people write them: `30s`, `5m`, `24h`, `250ms`, `7d`.
///
/// Parsed strictly: a whole number followed at once by one unit. A bare
/// number is refused: `settle_time: 30` could be seconds or minutes, and
/// the reader of the file should not have to know which.
public enum DurationText {
    /// Seconds per unit; `ms` is the one unit below a second.
    static let units: [(name: String, seconds: Int64)] = [("ms", 0), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]

    /// The duration `text` names, or nil when it is not one.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingWhitespace()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 12, let number = Int64(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count)
        guard let u = units.first(where: { $0.name == unit }) else { return nil }
        if u.name == "ms" { return .milliseconds(number) }
        return .seconds(number * u.seconds)
    }

    /// How to write a duration, for error messages.
    static let hint = "a whole number and a unit, like 30s, 5m, 24h (ms, s, m, h, d)"
}
