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

    /// Failing when its latest news is an error; waiting when it has none
    /// yet (the first poll is under way).
    public var state: BackendState {
        switch (lastSuccess, lastErrorAt) {
        case (nil, nil): .waiting
        case (nil, .some): .failing
        case (.some, nil): .ok
        case (.some(let success), .some(let failure)): failure > success ? .failing : .ok
        }
    }
}

public enum BackendState: String, Sendable, Codable {
    case ok
    case failing
    case waiting
}

/// Each back-end's last success and last error, written by the pollers
/// and posters, read by /healthz. A back-end it was not told about at
/// start is added on its first report rather than dropped.
public actor HealthBoard {
    /// An error text longer than this is cut: /healthz is read by
    /// monitors and people, not a place for a server's whole HTML page.
    public static let maximumErrorLength = 500

    private var backends: [String: BackendHealth] = [:]
    /// The order of the configuration, for a stable /healthz.
    private var order: [String] = []
    private let secrets: LogSecrets

    /// `secrets`: error texts are scrubbed of them as they arrive, so a
    /// server echoing a token in its error never shows it on /healthz.
    public init(backends: [String], secrets: LogSecrets = AgentLogging.secrets) {
        self.secrets = secrets
        for name in backends where self.backends[name] == nil {
            self.backends[name] = BackendHealth(name: name)
            order.append(name)
        }
    }

    /// A poll or a post worked: the back-end is no longer backing off.
    public func succeeded(_ backend: String, at: Date = Date()) {
        add(backend)
        backends[backend]?.lastSuccess = at
        backends[backend]?.retryAt = nil
    }

    /// A poll or a post failed; `retryAt` when the back-end will try again.
    /// The last error stays shown after a later success, as history: the
    /// state says which is newer.
    public func failed(_ backend: String, error: String, at: Date = Date(), retryAt: Date? = nil) {
        add(backend)
        var text = secrets.scrub(error)
        if text.count > Self.maximumErrorLength {
            text = String(text.prefix(Self.maximumErrorLength)) + "…"
        }
        backends[backend]?.lastError = text
        backends[backend]?.lastErrorAt = at
        backends[backend]?.retryAt = retryAt
    }

    public func snapshot() -> [BackendHealth] {
        order.compactMap { backends[$0] }
    }

    /// What /healthz answers.
    public func report(at now: Date = Date()) -> HealthReport {
        HealthReport(checkedAt: now, backends: snapshot())
    }

    private func add(_ name: String) {
        guard backends[name] == nil else { return }
        backends[name] = BackendHealth(name: name)
        order.append(name)
    }
}
