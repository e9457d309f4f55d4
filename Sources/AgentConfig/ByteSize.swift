/// A size written the way people write them: `2 GiB`, `500MB`, `64 KiB`.
///
/// Parsed strictly: a whole number, an optional space, and a unit spelled
/// exactly (B, kB/KB, MB, GB, TB in powers of 1000; KiB, MiB, GiB, TiB in
/// powers of 1024). A bare number is refused rather than guessed to be
/// bytes: `max_file_size: 2` is far more likely a forgotten unit than a
/// two-byte limit.
public enum ByteSize {
    static let units: [(name: String, bytes: Int)] = [
        ("B", 1),
        ("kB", 1_000), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
    ]

    /// The number of bytes `text` names, or nil when it is not a size.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits) else { return nil }
        var rest = trimmed.dropFirst(digits.count)
        if rest.first == " " { rest = rest.dropFirst() }
        guard let unit = units.first(where: { $0.name == rest }) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit.bytes)
        return overflow ? nil : bytes
    }

    /// How to write a size, for error messages.
    static let hint = "a whole number and a unit, like 500 MB or 2 GiB (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)"

    /// `bytes` in the largest binary unit that divides it, for printing.
    public static func text(_ bytes: Int) -> String {
        for (name, size) in units.reversed() where name.hasSuffix("iB") && bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(name)"
        }
        return "\(bytes) B"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
