import ArgumentParser

/// A span of time on the command line, `--older-than 30d`: a whole number
/// and one unit (s, m, h, d, w), nothing else. Strict on purpose: "30"
/// (which unit?), "1.5d" or "30 days" are refused, saying what to write,
/// rather than guessed at when the answer decides what gets deleted.
struct Age: Equatable {
    let seconds: Double
    let text: String

    private static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
    /// A hundred years: any more is a typo.
    private static let limit: Double = 100 * 365 * 86_400

    static func parse(_ text: String) throws -> Age {
        let example = "write a whole number and one unit of s, m, h, d, w (30d, 12h, 90m)"
        guard let unit = text.last, let factor = units[unit] else {
            throw ValidationError("'\(text)' has no unit; \(example)")
        }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let number = Int(digits) else {
            throw ValidationError("'\(text)' is not a whole number and a unit; \(example)")
        }
        let seconds = Double(number) * factor
        guard seconds <= limit else {
            throw ValidationError("'\(text)' is more than a hundred years; \(example)")
        }
        return Age(seconds: seconds, text: text)
    }
}
