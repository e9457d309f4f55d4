import Foundation

/// A password or token named by where it lives, never by its value: an
/// environment variable (`password_env = HOMER_PASSWORD`) or a file
/// (`password_file = /run/secrets/homer`). The value is read only when a
/// request needs it, so it is in no configuration value, no log line and
/// no dump: printing a `Secret` shows where it comes from, not what it is.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public enum Reference: Sendable, Hashable {
        case environment(String)
        case file(String)
    }

    public let reference: Reference

    public init(_ reference: Reference) {
        self.reference = reference
    }

    public static func environment(_ name: String) -> Secret { Secret(.environment(name)) }
    public static func file(_ path: String) -> Secret { Secret(.file(path)) }

    /// Files larger than this are not a password or a token.
    static let maxFileBytes = 64 * 1024

    /// Reads the value now. `environment` is the process's own unless a
    /// test passes another.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretError) -> SecretValue {
        switch reference {
        case .environment(let name):
            guard let value = environment[name] else { throw .variableUnset(name) }
            guard !value.isEmpty else { throw .variableEmpty(name) }
            return SecretValue(value, from: self)
        case .file(let path):
            return SecretValue(try Self.read(path), from: self)
        }
    }

    /// The file's text without its final newline (`echo pw > file` adds one).
    /// Refused when anyone but its owner may read it: a secret readable by
    /// the group or the world is not a secret.
    private static func read(_ path: String) throws(SecretError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw errno == ENOENT ? .fileMissing(path) : .fileUnreadable(path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .fileUnreadable(path, reason: "not a regular file") }
        let mode = Int(info.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw .fileTooOpen(path, mode: mode) }
        guard Int(info.st_size) <= maxFileBytes else { throw .fileUnreadable(path, reason: "\(info.st_size) bytes is no password or token") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .fileUnreadable(path, reason: "permission denied for this user")
        }
        guard var text = String(data: data, encoding: .utf8) else { throw .fileUnreadable(path, reason: "not UTF-8 text") }
        if text.hasSuffix("\r\n") { text.removeLast(1) } // "\r\n" is one Character
        else if text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty else { throw .fileEmpty(path) }
        return text
    }

    /// Where the value comes from, in the configuration's own words.
    public var description: String {
        switch reference {
        case .environment(let name): return "secret from $\(name)"
        case .file(let path): return "secret from file \(path)"
        }
    }

    public var debugDescription: String { "Secret(\(description))" }

    public var customMirror: Mirror { Mirror(self, children: ["reference": description]) }
}

/// A secret's value, read at the moment it is needed. Handed to the one
/// place that sends it (an Authorization header, a login body); printing
/// it prints where it came from.
public struct SecretValue: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The value itself: pass it on, never print or log it.
    public let text: String
    private let origin: Secret

    init(_ text: String, from origin: Secret) {
        self.text = text
        self.origin = origin
    }

    public var description: String { "<\(origin.description), hidden>" }
    public var debugDescription: String { "SecretValue(\(origin.description), hidden)" }
    public var customMirror: Mirror { Mirror(self, children: ["origin": origin.description]) }
}

public enum SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case variableUnset(String)
    case variableEmpty(String)
    case fileMissing(String)
    case fileUnreadable(String, reason: String)
    case fileTooOpen(String, mode: Int)
    case fileEmpty(String)

    public var description: String {
        switch self {
        case .variableUnset(let name):
            return "the environment variable \(name) is not set; set it in the agent's environment (export \(name)=...) or name a file with the _file key instead"
        case .variableEmpty(let name):
            return "the environment variable \(name) is empty; set it to the password or token"
        case .fileMissing(let path):
            return "the secret file \(path) does not exist; create it holding only the password or token (chmod 600), or fix the path"
        case .fileUnreadable(let path, let reason):
            return "the secret file \(path) cannot be read (\(reason)); it must be a small text file the agent's user can read"
        case .fileTooOpen(let path, let mode):
            return "the secret file \(path) can be read by others (mode \(String(mode, radix: 8))); run chmod 600 \(path)"
        case .fileEmpty(let path):
            return "the secret file \(path) is empty; write the password or token into it"
        }
    }
}
