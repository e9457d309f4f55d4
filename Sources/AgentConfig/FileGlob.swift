import Foundation

/// A shell pattern naming which files of an export directory to read:
/// `*.pcap`, `sbc-*/*.log.gz`, `[0-9]*.pcapng`. Matched with fnmatch(3)
/// against the path below the directory; `*` and `?` do not cross a `/`.
public struct FileGlob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String

    /// Checks the pattern; the error says what is wrong with it.
    public init(_ pattern: String) throws(FileGlobError) {
        if pattern.isEmpty { throw .empty }
        if pattern.hasPrefix("/") { throw .absolute(pattern) }
        if pattern.split(separator: "/").contains("..") { throw .leavesDirectory(pattern) }
        if pattern.contains("**") { throw .doubleStar(pattern) }
        try Self.checkBrackets(pattern)
        self.pattern = pattern
    }

    /// Whether `relativePath` (below the export directory) is included.
    public func matches(_ relativePath: String) -> Bool {
        fnmatch(pattern, relativePath, FNM_PATHNAME) == 0
    }

    public var description: String { pattern }

    /// An unclosed `[` makes fnmatch match the bracket literally, which is
    /// never what was meant.
    private static func checkBrackets(_ pattern: String) throws(FileGlobError) {
        var chars = Array(pattern)[...]
        while let c = chars.popFirst() {
            if c == "\\" { _ = chars.popFirst(); continue }
            guard c == "[" else { continue }
            // A `]` right after `[` or `[!` is a member, not the end.
            if chars.first == "!" || chars.first == "^" { chars = chars.dropFirst() }
            if chars.first == "]" { chars = chars.dropFirst() }
            guard let close = chars.firstIndex(of: "]") else { throw .unclosedBracket(pattern) }
            if chars[..<close].contains("/") { throw .unclosedBracket(pattern) }
            chars = chars[(close + 1)...]
        }
    }
}

public enum FileGlobError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case absolute(String)
    case leavesDirectory(String)
    case doubleStar(String)
    case unclosedBracket(String)

    public var description: String {
        switch self {
        case .empty:
            return "an empty pattern matches nothing; write a pattern like \"*.pcap\""
        case .absolute(let p):
            return "\"\(p)\" is absolute but patterns match the path below the directory; write it without the leading / (like \"*.pcap\" or \"sbc/*.pcap\")"
        case .leavesDirectory(let p):
            return "\"\(p)\" reaches out of the directory with ..; patterns match only below it, so add the other directory as an export of its own"
        case .doubleStar(let p):
            return "\"\(p)\" uses **, which fnmatch does not know (it acts as *); write one pattern per depth, like \"*.pcap\" and \"*/*.pcap\""
        case .unclosedBracket(let p):
            return "\"\(p)\" opens a [ set it never closes; write it closed, like \"[0-9]*.pcap\", or escape the bracket as \\["
        }
    }
}
