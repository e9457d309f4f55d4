/// What changed between two texts, line by line, as `diff -u` shows it
/// without the hunk headers: "  same", "- gone", "+ new". For replay,
/// where both sides are an annotation of a few hundred lines.
enum LineDiff {
    /// Longer inputs are compared as wholes (the table would be too big).
    static let maxLines = 3000

    static func lines(_ old: String, _ new: String) -> [String] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard a.count <= maxLines, b.count <= maxLines else {
            return a == b ? a.map { "  " + $0 } : a.map { "- " + $0 } + b.map { "+ " + $0 }
        }
        // Longest common subsequence, from the end.
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                out.append("  " + a[i]); i += 1; j += 1
            } else if j < b.count, i == a.count || table[i][j + 1] >= table[i + 1][j] {
                out.append("+ " + b[j]); j += 1
            } else {
                out.append("- " + a[i]); i += 1
            }
        }
        return out
    }
}
