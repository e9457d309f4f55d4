import Foundation

/// One back-end's health as /healthz shows it.
public struct BackendHealth: Sendable, Codable, Equatable {
    public var name: String
    public var lastSuccess: Date?
    public var lastError: String?
    public var lastErrorAt: Date?
    /// Set while the back-end backs off after a failure.
    public var retryAt: Date?

    public init(name: String, lastSuccess: Date? = nil, lastError: String? = nil, lastErrorAt: Date? = nil, retryAt: Date? = nil) {
        self.name = name
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.retryAt = retryAt
    }
}

/// Each back-end's last success and last error, written by the pollers
/// and posters, read by /healthz. SEAM: owned by the listener piece.
public actor HealthBoard {
    public init(backends: [String]) {}

    public func succeeded(_ backend: String, at: Date = Date()) {}
    public func failed(_ backend: String, error: String, at: Date = Date(), retryAt: Date? = nil) {}
    public func snapshot() -> [BackendHealth] { [] }
}
