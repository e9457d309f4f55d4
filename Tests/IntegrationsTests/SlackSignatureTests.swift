import Foundation
@testable import Integrations
import Testing

/// Slack's v0 request signature, checked with the example Slack publishes
/// ("Verifying requests from Slack"), and each way a request is refused.
@Suite struct SlackSignatureTests {
    static let secret = ResolvedSecret("8f742231b10e8888abcd99yyyzzz85a5")
    static let timestamp = "1531420618"
    static let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    static let expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    /// Ten seconds after Slack signed it.
    static let now = Date(timeIntervalSince1970: 1_531_420_628)

    static func request(body: String = body, timestamp: String? = timestamp, signature: String? = expected) -> InboundRequest {
        var headers: [String: String] = ["Content-Type": "application/x-www-form-urlencoded"]
        if let timestamp { headers["X-Slack-Request-Timestamp"] = timestamp }
        if let signature { headers["X-Slack-Signature"] = signature }
        return InboundRequest(path: "/slack/test/commands", headers: headers, body: Array(body.utf8))
    }

    @Test func slacksPublishedExampleSignsAsPublished() {
        let signer = SlackSignature(signingSecret: Self.secret)
        #expect(signer.signature(timestamp: Self.timestamp, body: Array(Self.body.utf8)) == Self.expected)
    }

    @Test func slacksPublishedExampleIsAccepted() throws {
        try SlackSignature(signingSecret: Self.secret).verify(Self.request(), now: Self.now)
    }

    @Test func anUppercaseHexSignatureIsAccepted() throws {
        try SlackSignature(signingSecret: Self.secret).verify(Self.request(signature: "v0=" + Self.expected.dropFirst(3).uppercased()),
                                                             now: Self.now)
    }

    @Test func anotherSecretIsRefused() {
        let other = SlackSignature(signingSecret: ResolvedSecret("8f742231b10e8888abcd99yyyzzz85a6"))
        #expect(throws: SlackSignature.Refusal.mismatch) { try other.verify(Self.request(), now: Self.now) }
    }

    @Test func aTamperedBodyIsRefused() {
        let tampered = Self.body.replacingOccurrences(of: "text=&", with: "text=evil&")
        #expect(throws: SlackSignature.Refusal.mismatch) {
            try SlackSignature(signingSecret: Self.secret).verify(Self.request(body: tampered), now: Self.now)
        }
    }

    @Test func aSignatureForAnotherTimestampIsRefused() {
        #expect(throws: SlackSignature.Refusal.mismatch) {
            try SlackSignature(signingSecret: Self.secret).verify(Self.request(timestamp: "1531420619"), now: Self.now)
        }
    }

    @Test func aRequestOlderThanFiveMinutesIsRefused() {
        let later = Date(timeIntervalSince1970: 1_531_420_618 + 301)
        #expect(throws: SlackSignature.Refusal.stale(seconds: 301)) {
            try SlackSignature(signingSecret: Self.secret).verify(Self.request(), now: later)
        }
    }

    @Test func aRequestFromTheFutureBeyondFiveMinutesIsRefused() {
        let earlier = Date(timeIntervalSince1970: 1_531_420_618 - 400)
        #expect(throws: SlackSignature.Refusal.stale(seconds: 400)) {
            try SlackSignature(signingSecret: Self.secret).verify(Self.request(), now: earlier)
        }
    }

    @Test func exactlyFiveMinutesOldIsStillAccepted() throws {
        try SlackSignature(signingSecret: Self.secret).verify(Self.request(), now: Date(timeIntervalSince1970: 1_531_420_618 + 300))
    }

    @Test func missingHeadersAreRefused() {
        let signer = SlackSignature(signingSecret: Self.secret)
        #expect(throws: SlackSignature.Refusal.missingHeader("X-Slack-Signature")) {
            try signer.verify(Self.request(signature: nil), now: Self.now)
        }
        #expect(throws: SlackSignature.Refusal.missingHeader("X-Slack-Request-Timestamp")) {
            try signer.verify(Self.request(timestamp: nil), now: Self.now)
        }
    }

    @Test func malformedHeadersAreRefused() {
        let signer = SlackSignature(signingSecret: Self.secret)
        #expect(throws: SlackSignature.Refusal.badTimestamp("yesterday")) {
            try signer.verify(Self.request(timestamp: "yesterday"), now: Self.now)
        }
        #expect(throws: SlackSignature.Refusal.unknownVersion) {
            try signer.verify(Self.request(signature: "v1=" + Self.expected.dropFirst(3)), now: Self.now)
        }
        #expect(throws: SlackSignature.Refusal.mismatch) {
            try signer.verify(Self.request(signature: String(Self.expected.dropLast())), now: Self.now)
        }
    }

    @Test func constantTimeComparisonComparesWholeValues() {
        #expect(ConstantTime.equal(Array("abc".utf8), Array("abc".utf8)))
        #expect(!ConstantTime.equal(Array("abc".utf8), Array("abd".utf8)))
        #expect(!ConstantTime.equal(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!ConstantTime.equal([], Array("a".utf8)))
    }

    @Test func refusalsSayWhatToCheckAndNeverTheSecret() {
        let all: [SlackSignature.Refusal] = [.missingHeader("X-Slack-Signature"), .badTimestamp("x"), .stale(seconds: 999), .unknownVersion, .mismatch]
        for refusal in all {
            #expect(!refusal.description.contains(Self.secret.value))
            #expect(refusal.description.count > 30)
        }
        #expect(SlackSignature.Refusal.mismatch.description.contains("signing secret"))
        #expect(SlackSignature.Refusal.stale(seconds: 999).description.contains("clock"))
    }
}
