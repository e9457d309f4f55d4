import Foundation
import Integrations

/// The secret values the agent resolved at start (RT's token, the Matrix
/// password…), registered so that no log line ever carries them: every
/// message, metadata key and value and error text goes through `scrub`
/// before it is written, whatever code logged it (ours, a library's, an
/// error that echoes a server's answer).
///
/// A reference shared by every handler, so that secrets resolved after the
/// logging system was bootstrapped (the configuration names the log format
/// and the secrets alike) are still hidden from loggers made before.
public final class LogSecrets: @unchecked Sendable {
    /// What a secret becomes in a log line.
    public static let placeholder = "[redacted]"
    /// Shorter values are not scrubbed: hiding every "abc" in every line
    /// would garble the log and protect nothing a guesser would not find.
    /// `agentctl config check` is where a too-short secret should be refused.
    public static let minimumLength = 4

    /// RFC 3986 section 2.3: what a URL carries as is.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private let lock = NSLock()
    /// Longest first, so that a secret containing another is hidden whole.
    private var values: [String] = []

    public init(_ secrets: [ResolvedSecret] = []) {
        register(secrets)
    }

    public func register(_ secret: ResolvedSecret) {
        register(value: secret.value)
    }

    public func register(_ secrets: [ResolvedSecret]) {
        for secret in secrets { register(secret) }
    }

    /// A value known to be secret that did not come as a `ResolvedSecret`
    /// (an access token a login returned). Also hides the spellings it
    /// takes on the way out: percent-encoded in a URL or form body, and
    /// escaped inside a JSON string a server echoes.
    public func register(value: String) {
        guard value.count >= Self.minimumLength else { return }
        var spellings: Set<String> = [value]
        if let encoded = value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) {
            spellings.insert(encoded)
            spellings.insert(encoded.replacingOccurrences(of: "%20", with: "+")) // a form body's space
        }
        spellings.insert(JSONText.escaped(value))
        lock.lock()
        defer { lock.unlock() }
        for spelling in spellings where !values.contains(spelling) {
            values.append(spelling)
        }
        values.sort { $0.count > $1.count }
    }

    /// How many spellings are registered (for a start-up log line; never
    /// the values).
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return values.count
    }

    /// `text` with every registered secret replaced by `placeholder`.
    public func scrub(_ text: String) -> String {
        lock.lock()
        let current = values
        lock.unlock()
        var result = text
        for secret in current where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.placeholder)
        }
        return result
    }
}
