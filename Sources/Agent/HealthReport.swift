import Foundation

/// The body of /healthz: the agent's overall status and each back-end's.
///
///     {"status":"degraded","checkedAt":"2026-12-02T13:41:06.123Z","backends":[
///       {"name":"rt-noc","state":"failing","lastSuccess":"…","lastError":"RT refused…",
///        "lastErrorAt":"…","retryAt":"…"}, …]}
///
/// `status` is `ok` when every back-end's latest news is a success,
/// `starting` while some have not reported yet and none fails, `degraded`
/// when at least one fails. See docs/observability.md for the status codes.
public struct HealthReport: Sendable, Equatable, Encodable {
    public enum Status: String, Sendable, Encodable {
        case ok
        case starting
        case degraded
    }

    public var status: Status
    public var checkedAt: Date
    public var backends: [BackendHealth]

    public init(checkedAt: Date, backends: [BackendHealth]) {
        self.checkedAt = checkedAt
        self.backends = backends
        let states = backends.map(\.state)
        if states.contains(.failing) {
            status = .degraded
        } else if states.contains(.waiting) {
            status = .starting
        } else {
            status = .ok
        }
    }

    private enum Keys: String, CodingKey {
        case status, checkedAt, backends
        case name, state, lastSuccess, lastError, lastErrorAt, retryAt
    }

    // Written by hand so that a missing value is an explicit null (a reader
    // sees every field every time) and dates have milliseconds in UTC.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(status, forKey: .status)
        try container.encode(LogRecord.timestamp(checkedAt), forKey: .checkedAt)
        var list = container.nestedUnkeyedContainer(forKey: .backends)
        for backend in backends {
            var entry = list.nestedContainer(keyedBy: Keys.self)
            try entry.encode(backend.name, forKey: .name)
            try entry.encode(backend.state, forKey: .state)
            try entry.encode(backend.lastSuccess.map(LogRecord.timestamp), forKey: .lastSuccess)
            try entry.encode(backend.lastError, forKey: .lastError)
            try entry.encode(backend.lastErrorAt.map(LogRecord.timestamp), forKey: .lastErrorAt)
            try entry.encode(backend.retryAt.map(LogRecord.timestamp), forKey: .retryAt)
        }
    }

    /// The JSON text /healthz sends.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else {
            // Only strings, dates as strings and enums go in: this cannot
            // fail, but a health answer must never crash the agent.
            return "{\"status\":\"\(status.rawValue)\"}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
