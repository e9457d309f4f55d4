import Crypto
import Foundation

/// Slack's request signing, version 0: `X-Slack-Signature: v0=HEX` where
/// HEX is HMAC-SHA256, keyed with the app's signing secret, of
/// `v0:{X-Slack-Request-Timestamp}:{raw body}`. Computed over the bytes as
/// they came (a slash command's form body undecoded), compared in constant
/// time, and refused when the timestamp is more than five minutes from
/// now, so a captured request cannot be replayed later.
public struct SlackSignature: Sendable {
    /// How far the request's timestamp may be from the agent's clock.
    public static let maxSkew: TimeInterval = 300

    /// Kept as the resolved secret (which never prints); the key is made
    /// per request, as swift-crypto's `SymmetricKey` is not `Sendable`.
    let secret: ResolvedSecret

    public init(signingSecret: ResolvedSecret) {
        secret = signingSecret
    }

    /// Why a request is not Slack's: said in the log, never to the caller.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case missingHeader(String)
        case badTimestamp(String)
        case stale(seconds: Int)
        case unknownVersion
        case mismatch

        public var description: String {
            switch self {
            case .missingHeader(let name):
                return "no \(name) header: not a request Slack signed (or a proxy dropped the header; let it pass X-Slack-* headers)"
            case .badTimestamp(let text):
                return "X-Slack-Request-Timestamp '\(text.prefix(20))' is not a Unix time in seconds"
            case .stale(let seconds):
                return "the request was signed \(seconds) s away from this agent's clock (more than \(Int(SlackSignature.maxSkew)) s): a replay, or a clock out of sync (check NTP)"
            case .unknownVersion:
                return "X-Slack-Signature is not a v0 signature"
            case .mismatch:
                return "X-Slack-Signature does not match the body: another app's request, or the wrong signing secret configured (Basic Information → App Credentials → Signing Secret)"
            }
        }
    }

    /// "v0=<64 hex digits>" for these bytes.
    public func signature(timestamp: String, body: [UInt8]) -> String {
        var message = Array("v0:\(timestamp):".utf8)
        message += body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.value.utf8)))
        return "v0=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Throws the reason when the request is not signed with this secret
    /// within `maxSkew` of `now`.
    public func verify(_ request: InboundRequest, now: Date = Date()) throws(Refusal) {
        guard let timestamp = request.header("X-Slack-Request-Timestamp")?.trimmingCharacters(in: .whitespaces) else {
            throw .missingHeader("X-Slack-Request-Timestamp")
        }
        guard let given = request.header("X-Slack-Signature")?.trimmingCharacters(in: .whitespaces) else {
            throw .missingHeader("X-Slack-Signature")
        }
        guard let seconds = Int64(timestamp), seconds > 0 else { throw .badTimestamp(timestamp) }
        let skew = abs(now.timeIntervalSince1970 - Double(seconds))
        guard skew <= Self.maxSkew else { throw .stale(seconds: Int(min(skew, Double(Int32.max)))) }
        guard given.hasPrefix("v0=") else { throw .unknownVersion }
        let expected = Array(signature(timestamp: timestamp, body: request.body).utf8)
        guard ConstantTime.equal(expected, Array(given.lowercased().utf8)) else { throw .mismatch }
    }
}
