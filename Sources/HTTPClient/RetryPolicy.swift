import CCurl
import Foundation

/// When a failed attempt is tried again, and after how long.
///
/// Retried: connection failures before the request went out (any method);
/// a reset or a lost connection, 500, 502 and 504 for idempotent requests
/// only (the server may have acted on the first); 429 and 503, which say
/// the server did not act, for any method. Not retried: timeouts after the
/// connection was up (a slow server is not helped by asking it again),
/// TLS failures, an answer over the size cap, other statuses.
///
/// The wait is exponential (`initialDelay` doubled per retry, at most
/// `maxDelay`) with equal jitter: a uniform draw in the upper half, so many
/// clients that failed together do not come back together, and none comes
/// back at once. A `Retry-After` on a retried status replaces that wait;
/// one longer than `maxRetryAfter` is not waited out: the answer goes back
/// to the caller, whose schedule (the ledger's next-attempt time) is the
/// right place for a wait of minutes.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 never retries.
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 3,
        initialDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(10),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public static let never = RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (1 for the first): between half
    /// and all of `min(maxDelay, initialDelay * 2^(retry-1))`.
    public func backoff(beforeRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let doublings = min(max(retry - 1, 0), 30)
        let ceiling = min(initialDelay.milliseconds << doublings, maxDelay.milliseconds)
        let floor = ceiling / 2
        let drawn = floor + Int64.random(in: 0...(ceiling - floor), using: &generator)
        return .milliseconds(drawn)
    }

    /// How long to wait before trying again after an answer, or nil to
    /// return that answer. `attempt` is the one that got it (1 for the first).
    func delay(
        after response: HTTPResponse, attempt: Int, idempotent: Bool, now: Int,
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        switch response.status {
        case 429, 503: break
        case 500, 502, 504: if !idempotent { return nil }
        default: return nil
        }
        if let value = response.header("Retry-After"), let seconds = RetryAfter.seconds(value, now: now) {
            let wait = Duration.seconds(seconds)
            return wait <= maxRetryAfter ? wait : nil
        }
        return backoff(beforeRetry: attempt, using: &generator)
    }

    /// How long to wait before trying again after a failed transfer, or nil to throw.
    func delay(
        after failure: HTTPClientError.Kind, attempt: Int, idempotent: Bool,
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        switch failure {
        case .cannotResolveHost, .cannotConnect, .connectTimedOut, .proxyFailed: break
        case .connectionLost where idempotent: break
        default: return nil
        }
        return backoff(beforeRetry: attempt, using: &generator)
    }
}

/// The `Retry-After` header of RFC 9110 section 10.2.3: delay-seconds or an
/// HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms, all of
/// which libcurl's date parser reads).
enum RetryAfter {
    /// Seconds to wait from `now` (Unix seconds); 0 for a date already past;
    /// nil when the value is neither form.
    static func seconds(_ value: String, now: Int) -> Int? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.allSatisfy(\.isASCIIDigit) {
            // Past what any cap allows, the exact number no longer matters.
            let digits = trimmed.drop { $0 == "0" }
            return digits.count > 9 ? 999_999_999 : Int(digits) ?? 0
        }
        let date = curl_getdate(trimmed, nil)
        guard date >= 0 else { return nil }
        return max(0, Int(date) - now)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
