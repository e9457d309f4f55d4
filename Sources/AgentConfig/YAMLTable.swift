import Yams

/// One YAML mapping of the configuration, with the line of every key, so
/// that each mistake is named where it is written.
struct YAMLTable {
    struct Entry {
        var key: String
        var line: Int?
        var value: Node
    }

    /// The key path of this mapping (`homer[0]`), empty at the top.
    var path: String
    var line: Int?
    var entries: [Entry]

    /// Nil when `node` is not a mapping (the caller says what it wanted).
    init?(_ node: Node, path: String) {
        guard case .mapping(let mapping) = node else { return nil }
        self.path = path
        self.line = node.mark?.line
        self.entries = mapping.map { key, value in
            Entry(key: key.scalar?.string ?? "\(key)", line: key.mark?.line, value: value)
        }
    }

    func entry(_ key: String) -> Entry? {
        entries.first { $0.key == key }
    }

    /// The path of `key` inside this mapping.
    func path(of key: String) -> String {
        let simple = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        let written = simple ? key : "\"\(key)\""
        return path.isEmpty ? written : "\(path).\(written)"
    }
}

/// Key names whose value is a secret. A literal there is refused wherever
/// it stands, known key or not, because the file is meant to be shared.
enum SecretKeyNames {
    static let words = ["password", "passwd", "passphrase", "token", "secret", "api_key", "apikey", "credential", "private_key"]

    /// Whether a key named so would hold the secret itself (`password`,
    /// `bearer_token`), not a reference to it (`password_env`, `token_file`).
    static func holdsSecret(_ key: String) -> Bool {
        let k = key.lowercased().replacingDashes()
        if k.hasSuffix("_env") || k.hasSuffix("_file") { return false }
        return words.contains { k == $0 || k.hasSuffix("_" + $0) || k.hasPrefix($0 + "_") }
    }

    /// The reference keys to write instead of `key`.
    static func references(for key: String) -> (env: String, file: String) {
        let k = key.lowercased()
        let base = k.contains("pass") ? "password" : "token"
        return (base + "_env", base + "_file")
    }
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}

/// Did-you-mean for unknown keys: the nearest allowed key within a couple
/// of edits (a typo, a dash for an underscore), else none.
enum KeySuggestion {
    static func nearest(to key: String, in allowed: [String]) -> String? {
        let k = key.lowercased().replacingDashes()
        if let same = allowed.first(where: { $0 == k }) { return same }
        let limit = k.count <= 4 ? 1 : (k.count <= 8 ? 2 : 3)
        let scored = allowed.map { ($0, distance(k, $0)) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
