import Foundation

/// A message's `text` as Slack sends it, turned back into what the person
/// typed: Slack wraps links, e-mail addresses (a Call-ID like
/// `a84b4c76e66710@pc33.example.com` looks like one) and mentions in
/// `<…>`, and escapes `&`, `<` and `>`. The extractor must see the
/// Call-ID, not `<mailto:…|…>`.
enum SlackText {
    static func plain(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                out += rest[open...]
                rest = ""
                break
            }
            out += shown(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return unescaped(out)
    }

    /// What a `<…>` shows: its label, else the target without `mailto:`;
    /// `@U123` for a user, `#C123` for a channel, `@here` for `!here`.
    static func shown(_ inside: Substring) -> String {
        let parts = inside.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, !parts[1].isEmpty { return String(parts[1]) }
        let target = parts.first ?? ""
        if target.hasPrefix("mailto:") { return String(target.dropFirst("mailto:".count)) }
        if target.hasPrefix("!") { return "@" + target.dropFirst() }
        return String(target)
    }

    static func unescaped(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Text for Slack: the three characters it reads as control characters
    /// escaped, as its formatting guide asks.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }
}
