import Foundation

/// What is blanked out of a post before it leaves. Phone numbers and
/// e-mail addresses by default; IP addresses on request (they are what an
/// engineer reads a ladder by, so they stay unless the operator says so);
/// and the operator's own regular expressions (`redaction.patterns`).
public struct RedactionRules: Sendable, Equatable {
    public var phoneNumbers: Bool
    public var emailAddresses: Bool
    public var ipAddresses: Bool
    /// Extra regular expressions (the configuration's `redaction.patterns`),
    /// ICU syntax (NSRegularExpression); each match becomes `[redacted]`.
    public var patterns: [String]

    public init(phoneNumbers: Bool = true, emailAddresses: Bool = true, ipAddresses: Bool = false, patterns: [String] = []) {
        self.phoneNumbers = phoneNumbers
        self.emailAddresses = emailAddresses
        self.ipAddresses = ipAddresses
        self.patterns = patterns
    }

    /// Nothing redacted (replay on the operator's own terminal, tests).
    public static let none = RedactionRules(phoneNumbers: false, emailAddresses: false, ipAddresses: false)
}

/// A configured pattern that is not a regular expression.
public struct RedactionPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var pattern: String
    public var reason: String

    public var description: String {
        "redaction pattern #\(index + 1) '\(pattern)' is not a valid regular expression (\(reason)); "
            + "fix it or remove it from redaction.patterns"
    }
}

/// Applies `RedactionRules` to text. The decisions, written down in
/// docs/annotations.md:
///
/// - Phone numbers are masked in place, digit by digit, keeping the last
///   three and every separator (`+4930555012345` → `+xxxxxxxxxx345`): the
///   text keeps its length, so a ladder keeps its columns, and the last
///   digits still let an engineer tell two numbers apart. The same in a
///   SIP or tel URI (`sip:+xxxxxxxxxx345@carrier.example`). Internal
///   extensions (under seven digits) are not personal numbers and stay.
/// - E-mail addresses lose their local part (`[redacted]@example.com`);
///   the domain says whose it was, which the reader needs.
/// - IP addresses (when on) are masked digit by digit like phone numbers,
///   keeping the length and the port.
/// - Strings passed in `keeping` (the Call-IDs of the post, its marker,
///   the replay command) are never changed: a Call-ID is the key the
///   engineer searches by, the ticket already holds it, and a marker must
///   stay findable. So a phone number inside a Call-ID stays.
public struct Redactor: Sendable {
    /// Setting rules whose patterns do not compile makes `redact` blank
    /// out everything (it cannot throw, and leaking is worse than saying
    /// nothing); `init(rules:)` is where a bad pattern is reported.
    public var rules: RedactionRules {
        didSet { compiled = (try? Self.compile(rules.patterns)) ?? CompiledPatterns(nil) }
    }

    private var compiled: CompiledPatterns

    /// Throws when a configured pattern is not a valid regular expression.
    public init(rules: RedactionRules) throws {
        self.rules = rules
        self.compiled = try Self.compile(rules.patterns)
    }

    public func redact(_ text: String) -> String { redact(text, keeping: []) }

    /// `text` redacted, except for every occurrence of the strings in `keeping`.
    public func redact(_ text: String, keeping: Set<String>) -> String {
        guard !text.isEmpty else { return text }
        var out = ""
        for segment in ProtectedSegments.split(text, keeping: keeping) {
            out += segment.protected ? segment.text : redactFree(segment.text)
        }
        return out
    }

    private func redactFree(_ text: String) -> String {
        guard let expressions = compiled.expressions else { return "[redacted]" }
        var text = text
        for regex in expressions {
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            text = regex.stringByReplacingMatches(in: text, options: [], range: range, withTemplate: "[redacted]")
        }
        var bytes = Array(text.utf8)
        if rules.emailAddresses { bytes = PersonalData.maskEmailAddresses(bytes) }
        if rules.phoneNumbers { PersonalData.maskPhoneNumbers(&bytes) }
        if rules.ipAddresses { PersonalData.maskIPAddresses(&bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func compile(_ patterns: [String]) throws -> CompiledPatterns {
        var out: [NSRegularExpression] = []
        for (index, pattern) in patterns.enumerated() {
            guard !pattern.isEmpty else {
                throw RedactionPatternError(index: index, pattern: pattern, reason: "it is empty and would match everywhere")
            }
            do {
                out.append(try NSRegularExpression(pattern: pattern))
            } catch {
                throw RedactionPatternError(index: index, pattern: pattern, reason: "\(error.localizedDescription)")
            }
        }
        return CompiledPatterns(out)
    }
}

/// NSRegularExpression is immutable once made and documented as safe to
/// share between threads; Foundation on Linux does not say so in the type.
final class CompiledPatterns: @unchecked Sendable {
    /// nil: the rules held a pattern that did not compile.
    let expressions: [NSRegularExpression]?
    init(_ expressions: [NSRegularExpression]?) { self.expressions = expressions }
}

/// A text cut into the parts that must stay as they are and the rest.
enum ProtectedSegments {
    struct Segment { var text: String; var protected: Bool }

    static func split(_ text: String, keeping: Set<String>) -> [Segment] {
        let keep = keeping.filter { !$0.isEmpty }.map { Array($0.utf8) }.sorted { $0.count > $1.count }
        guard !keep.isEmpty else { return [Segment(text: text, protected: false)] }
        let bytes = Array(text.utf8)
        var covered = [Bool](repeating: false, count: bytes.count)
        for needle in keep where needle.count <= bytes.count {
            var i = 0
            while i + needle.count <= bytes.count {
                if bytes[i] == needle[0], !covered[i], bytes[i..<(i + needle.count)].elementsEqual(needle),
                   !covered[i..<(i + needle.count)].contains(true) {
                    for k in i..<(i + needle.count) { covered[k] = true }
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        var out: [Segment] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && covered[end] == covered[start] { end += 1 }
            out.append(Segment(text: String(decoding: bytes[start..<end], as: UTF8.self), protected: covered[start]))
            start = end
        }
        return out
    }
}
