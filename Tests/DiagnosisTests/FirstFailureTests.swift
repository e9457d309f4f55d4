import Testing
@testable import Diagnosis

/// The exceptions to "the first final response >= 300 is the root cause"
/// (domain brief section 2), one trace each.
@Suite struct FirstFailureTests {
    @Test func answeredAuthChallengeIsNoFailure() throws {
        let d = try Fixture.diagnose("first-failure/auth-answered.txt")
        #expect(d.firstFailure == nil)
        #expect(d.verdict.family == "healthy")
        #expect(d.state == .completed)
    }

    @Test func secondChallengeToTheCredentialedRequestIsAnAuthFailure() throws {
        let d = try Fixture.diagnose("first-failure/auth-second-challenge.txt")
        #expect(d.verdict.family == "auth-failure")
        #expect(d.firstFailure?.messageIndex == 6)
        #expect(d.firstFailure?.explanation.contains("Not counted: #2 401 Unauthorized") == true)
    }

    @Test func forbiddenAfterCredentialsIsAnAuthFailure() throws {
        let d = try Fixture.diagnose("first-failure/auth-403-after-credentials.txt")
        #expect(d.verdict.family == "auth-failure")
        #expect(d.firstFailure?.messageIndex == 6)
        #expect(d.firstFailure?.summary == "403 Forbidden")
    }

    @Test func terminatedAfterCancelIsTheCallerHangingUp() throws {
        let d = try Fixture.diagnose("first-failure/cancel-487.txt")
        #expect(d.firstFailure == nil)
        #expect(d.state == .cancelled)
        #expect(d.verdict.outcome == .notAFault)
        #expect(d.verdict.headline.contains("hung up"))
    }

    @Test func terminatedWithoutCancelIsAFailure() throws {
        let d = try Fixture.diagnose("first-failure/487-without-cancel.txt")
        #expect(d.firstFailure?.messageIndex == 4)
        #expect(d.verdict.family == "sip-failure")
        #expect(d.verdict.outcome == .failed)
    }

    @Test func redirectFollowedByInviteToTheContactIsNormal() throws {
        let d = try Fixture.diagnose("first-failure/redirect-302.txt")
        #expect(d.firstFailure == nil)
        #expect(d.verdict.family == "healthy")
        #expect(d.participants.contains { $0.name == "VOICEMAIL" })
    }

    @Test func redirectNobodyFollowedIsTheFailure() throws {
        let d = try Fixture.diagnose("first-failure/redirect-302-not-followed.txt")
        #expect(d.firstFailure?.messageIndex == 2)
        #expect(d.firstFailure?.summary.hasPrefix("302") == true)
        #expect(d.state == .diverted)
    }

    @Test func sessionIntervalTooSmallRetriedLongerIsNormal() throws {
        let d = try Fixture.diagnose("first-failure/422-retry-larger.txt")
        #expect(d.firstFailure == nil)
        #expect(d.verdict.family == "healthy")
    }

    @Test func sessionIntervalTooSmallRetriedWithTheSameIntervalIsTheFailure() throws {
        // The retry asked for 60 s again: it does not heed the 422, so the first 422 counts.
        let d = try Fixture.diagnose("first-failure/422-retry-same.txt")
        #expect(d.firstFailure?.messageIndex == 2)
        #expect(d.verdict.family == "session-timer")
    }

    @Test func requestPendingResolvedByRetryIsNormal() throws {
        let d = try Fixture.diagnose("first-failure/491-retry-succeeds.txt")
        #expect(d.firstFailure == nil)
        #expect(d.verdict.family == "healthy")
    }

    @Test func requestPendingNeverResolvedIsGlare() throws {
        let d = try Fixture.diagnose("first-failure/491-no-retry.txt")
        #expect(d.verdict.family == "glare")
        #expect(d.firstFailure?.messageIndex == 8)
    }

    @Test func noFinalResponseUntilTimerBIsNoAnswer() throws {
        let d = try Fixture.diagnose("first-failure/no-final-response.txt")
        #expect(d.verdict.family == "no-answer")
        #expect(d.firstFailure?.messageIndex == 1)
        #expect(d.firstFailure?.summary.contains("no final response") == true)
    }

    @Test func captureCutShortIsNotAFailureButALimitation() throws {
        let d = try Fixture.diagnose("first-failure/capture-cut-short.txt")
        #expect(d.firstFailure == nil)
        #expect(d.limitations.contains { $0.contains("no final response") })
        #expect(d.confidence.level == .low)
    }

    @Test func okNeverAcknowledgedIsMissingACK() throws {
        let d = try Fixture.diagnose("first-failure/200-no-ack.txt")
        #expect(d.verdict.family == "missing-ack")
        #expect(d.firstFailure?.messageIndex == 4)
        #expect(d.firstFailure?.summary == "200 OK (never ACKed)")
    }

    @Test func failoverToASecondCarrierExcusesTheFirstRejection() throws {
        let d = try Fixture.diagnose("first-failure/failover.txt")
        #expect(d.firstFailure == nil)
        #expect(d.verdict.family == "healthy")
        #expect(d.legs.count == 3)
        #expect(d.ladder.contains { $0.label == "503 Service Unavailable" && !$0.isFirstFailure })
    }

    @Test func failoverExcuseIsNamedWhenALaterFailureCounts() throws {
        let flow = CallFlow(call: try #require(Diagnoser().calls(in: try Fixture.trace("first-failure/failover.txt")).first))
        let finder = FirstFailureFinder()
        #expect(finder.find(in: flow) == nil)
        let t = try #require(flow.transactions.first { $0.finalResponse.map { flow.message($0).message.statusCode == 503 } == true })
        let reason = finder.excuse(code: 503, response: t.finalResponse!, transaction: t, flow: flow)
        #expect(reason?.contains("answered afterwards") == true)
    }

    @Test func b2buaLegsAreTiedByXOrigCallID() throws {
        let d = try Fixture.diagnose("first-failure/b2bua-x-orig-call-id.txt")
        #expect(d.legs.count == 2)
        #expect(d.legs[0].tiedBy == nil)
        #expect(d.legs[1].tiedBy?.contains("X-Orig-Call-ID") == true)
        #expect(d.verdict.family == "healthy")
    }

    @Test func legsAreTiedBySessionID() throws {
        let d = try Fixture.diagnose("first-failure/tie-session-id.txt")
        #expect(d.legs.count == 2)
        #expect(d.legs[1].tiedBy?.contains("Session-ID") == true)
    }
}
