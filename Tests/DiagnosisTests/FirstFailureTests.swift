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
        let d = try Fixture.diagnose("auth-failure/catch-403-plain.txt")
        #expect(d.verdict.family == "auth-failure")
        #expect(d.firstFailure?.messageIndex == 6)
        #expect(d.firstFailure?.summary == "403 Forbidden")
    }

    @Test func forbiddenAfterCredentialsWithCallRejectedIsPolicy() throws {
        // Q.850 cause 21 "call rejected": the switch refused the call, not the password.
        let d = try Fixture.diagnose("first-failure/auth-403-after-credentials.txt")
        #expect(d.verdict.family == "forbidden")
        #expect(d.firstFailure?.messageIndex == 6)
        #expect(d.fixSteps.first?.contains("dial permissions") == true)
        #expect(d.fixSteps.last?.contains("SIP password") == true)
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
        // The trace stops at the ACK: the redirect is reported, not a failed call.
        #expect(d.verdict.family == "redirect")
        #expect(d.verdict.headline.hasPrefix("Redirected to sip:2002@198.51.100.30:5060"))
        #expect(d.verdict.headline.contains("the trace ends before the redirect was followed"))
        #expect(!d.verdict.headline.contains("failed"))
        #expect(d.verdict.outcome == .notAFault)
        #expect(d.limitations.contains { $0.contains("whether the redirect was followed") })
    }

    @Test func redirectWithDiversionNamesWhereTheCallWasSent() throws {
        let d = try Fixture.diagnose("redirect/catch.txt")
        #expect(d.verdict.headline == "Redirected to sip:*972040@203.0.113.10 (302 Moved Temporarily from ASTERISK); the trace ends before the redirect was followed")
        #expect(d.evidenceText.contains("diverted: <sip:2040@203.0.113.10>;reason=unconditional"))
        #expect(d.fixSteps.count == 2 && d.fixSteps[1].contains("redirect recursion"))
    }

    @Test func redirectTheCallerIgnoredIsAFailureOfTheCaller() throws {
        // The phone tries the same number again instead of the Contact.
        let d = try Fixture.diagnose("redirect/catch-ignored.txt")
        #expect(d.verdict.family == "redirect")
        #expect(d.firstFailure?.messageIndex == 2)
        #expect(d.verdict.headline.hasSuffix("but PHONE did not follow the redirect"))
        #expect(d.verdict.outcome == .failed)
        #expect(d.evidenceText.contains("PHONE sent INVITE to sip:2040@203.0.113.10 (#4), not an INVITE to the Contact"))
        #expect(d.fixSteps.first?.hasPrefix("Enable 3xx handling (redirect recursion) on PHONE") == true)
    }

    @Test func redirectFollowedByTheRedirectRuleIsNotReported() throws {
        let findings = try Fixture.findings("first-failure/redirect-302.txt")
        #expect(!findings.contains { $0.family == "redirect" })
    }

    @Test func loneBusyPastedIntoATicketIsTheFirstFailure() throws {
        let d = try Fixture.diagnose("first-failure/lone-486-snippet.txt")
        #expect(d.verdict.family == "busy-or-declined")
        #expect(d.verdict.headline == "Not a fault: callee busy (486 Busy Here)")
        #expect(d.firstFailure?.messageIndex == 1)
        #expect(d.firstFailure?.explanation.contains("answering INVITE (CSeq 2), which is not in the trace") == true)
        #expect(d.evidenceText.contains("Reason: Q.850 cause 17"))
        #expect(d.state == .busy)
        #expect(d.limitations.contains { $0.contains("The request #1 answers is not in the trace") })
    }

    @Test func loneServiceUnavailableInALogThatStartsMidCallIsTheFirstFailure() throws {
        let d = try Fixture.diagnose("first-failure/lone-503-mid-call.txt")
        #expect(d.verdict.family == "service-unavailable")
        #expect(d.firstFailure?.messageIndex == 2)
        #expect(d.verdict.headline.contains("503 Service Unavailable from 198.51.100.20:5060"))
        #expect(d.evidenceText.contains("Retry-After: 30"))
        #expect(d.fixSteps.first?.contains("concurrent calls on the trunk") == true)
        #expect(d.state == .rejected)
    }

    @Test func loneAnswerInALogThatStartsMidCallIsNoFailure() throws {
        // The near miss: a log that starts at the 183 holds no failure; the
        // verdict says the setup is not all in the trace, not that it failed.
        let d = try Fixture.diagnose("first-failure/lone-200-mid-call.txt")
        #expect(d.firstFailure == nil)
        #expect(d.verdict.family == "healthy")
        #expect(d.verdict.headline.contains("incomplete in the trace"))
        #expect(d.confidence.level == .low)
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

    @Test func failoverExcusesAChallengeTheFirstRouteCouldNotAnswer() throws {
        let d = try Fixture.diagnose("first-failure/failover-407.txt")
        #expect(d.firstFailure == nil)
        #expect(d.verdict.family == "healthy")
        #expect(d.ladder.contains { $0.label == "407 Proxy Authentication Required" && !$0.isFirstFailure })
    }

    @Test func failoverExcusesEveryRejectionButA6xx() throws {
        // 3xx, 401/407, 422, 487 and 491 each have their own excuse; when
        // it does not apply, the answered call afterwards still excuses them.
        let flow = CallFlow(call: try #require(Diagnoser().calls(in: try Fixture.trace("first-failure/failover.txt")).first))
        let finder = FirstFailureFinder()
        let t = try #require(flow.transactions.first { $0.finalResponse.map { flow.message($0).message.statusCode == 503 } == true })
        for code in [302, 401, 407, 422, 487, 491, 486, 503] {
            let reason = finder.excuse(code: code, response: t.finalResponse!, transaction: t, flow: flow)
            #expect(reason?.contains("\(code) on this route, but the call was answered afterwards") == true, "\(code): \(reason ?? "nil")")
        }
        #expect(finder.excuse(code: 603, response: t.finalResponse!, transaction: t, flow: flow) == nil)
    }

    @Test func failoverThatIsNeverAnsweredLeavesTheChallengeAsTheFirstFailure() throws {
        let d = try Fixture.diagnose("first-failure/failover-407-not-answered.txt")
        #expect(d.firstFailure?.messageIndex == 4)
        #expect(d.firstFailure?.summary == "407 Proxy Authentication Required")
        #expect(d.verdict.family == "auth-failure")
    }

    @Test func timerBIs64TimesT1() {
        #expect(SIPTimers.timerB == 32)
    }

    @Test func silenceOfTimerBIsNoAnswerButHalfASecondLessIsNot() throws {
        let caught = try Fixture.diagnose("no-answer/catch-timer-b.txt")
        #expect(caught.verdict.family == "no-answer")
        #expect(caught.firstFailure?.summary == "INVITE (no final response)")
        #expect(caught.evidenceText.contains("32.4 s from the INVITE to the end of the trace (timer B is 32 s)"))
        let short = try Fixture.diagnose("no-answer/near-miss-timer-b.txt")
        #expect(short.firstFailure == nil)
        #expect(short.verdict.headline.contains("hung up"))
        #expect(short.limitations.contains { $0.contains("INVITE #3 has no final response in the trace") })
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
