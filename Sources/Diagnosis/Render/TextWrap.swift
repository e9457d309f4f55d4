/// Word wrapping for prose in the text renderer, so explanations and
/// evidence stay inside the same 100 columns as the ladder.
enum TextWrap {
    /// Wraps `text` to `width` columns; the first line starts with
    /// `first`, later lines with `rest` (a hanging indent). Words longer
    /// than a line (URLs, Call-IDs) are left whole rather than broken.
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var current = first
        var currentIsEmpty = true
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            let candidate = currentIsEmpty ? current + word : current + " " + word
            if !currentIsEmpty, candidate.count > width {
                lines.append(current)
                current = rest + word
            } else {
                current = candidate
            }
            currentIsEmpty = false
        }
        lines.append(current)
        return lines
    }
}
