import Testing
@testable import Diagnosis

/// A 403 to a request that carried credentials: a wrong password only
/// when nothing in the trace points at policy.
@Suite struct ForbiddenWithCredentialsTests {
    @Test func policySignsPutClassOfServiceBeforeThePassword() throws {
        let d = try Fixture.diagnose("forbidden/catch-credentialed.txt")
        #expect(d.verdict.family == "forbidden")
        #expect(d.verdict.headline == "Call refused: 403 Forbidden from CORE (call rejected)")
        #expect(d.firstFailure?.messageIndex == 6)
        let evidence = d.evidenceText
        #expect(evidence.contains("the INVITE carried credentials") || evidence.contains("an auth challenge came first and was answered"))
        #expect(evidence.contains("Q.850 cause 21 (call rejected) is a refusal of the call, not of the password"))
        #expect(evidence.contains("International calls not permitted for this extension"))
        #expect(evidence.contains("011442079460123 is an international (011...) destination, which class-of-service rules commonly bar"))
        #expect(evidence.contains("the same credentials (user 1001) were accepted in #9: the password works"))
        // The guide's order: class of service, dial plan, carrier and
        // STIR/SHAKEN; the password last.
        #expect(d.fixSteps[0].contains("dial permissions / class of service for this destination (international (011...))"))
        #expect(d.fixSteps[1].contains("dial-plan translation"))
        #expect(d.fixSteps[2].contains("STIR/SHAKEN"))
        #expect(d.fixSteps.last?.contains("SIP password") == true)
        #expect(d.confidence.level == .high)
    }

    @Test func refusalNamingTheAuthenticationStaysAPasswordProblem() throws {
        // Same international number, but the 403 says the authentication failed.
        let d = try Fixture.diagnose("forbidden/near-miss-credentialed.txt")
        #expect(d.verdict.family == "auth-failure")
        #expect(d.fixSteps.first?.contains("Reset the SIP password") == true)
    }

    @Test func plainForbiddenAfterCredentialsIsStillAnAuthFailure() throws {
        let d = try Fixture.diagnose("auth-failure/catch-403-plain.txt")
        #expect(d.verdict.family == "auth-failure")
        #expect(d.fixSteps.first?.contains("Reset the SIP password") == true)
    }

    @Test func destinationsAreClassedByPrefix() {
        #expect(DialledDestination(dialled: "011442079460123") == .international(prefix: "011"))
        #expect(DialledDestination(dialled: "9011441613260000") == .international(prefix: "9011"))
        #expect(DialledDestination(dialled: "00972592000001") == .international(prefix: "00"))
        #expect(DialledDestination(dialled: "+442079460123", caller: "+13055550100") == .international(prefix: "+44"))
        #expect(DialledDestination(dialled: "+442079460123", caller: "+442079460999") == nil)
        #expect(DialledDestination(dialled: "+19005550123") == .premium)
        #expect(DialledDestination(dialled: "18885550123") == .tollFree)
        #expect(DialledDestination(dialled: "+14155550123") == nil)
        #expect(DialledDestination(dialled: "1000") == nil)
        #expect(DialledDestination(dialled: "8011442079460123") == .international(prefix: "8011"))
        #expect(DialledDestination(dialled: "0011611300000000") == .international(prefix: "00"))
        #expect(DialledDestination(dialled: "900441613260000") == .international(prefix: "900"))
        #expect(DialledDestination(dialled: "9005550123") == .premium)
        #expect(DialledDestination(dialled: "5005550123") == nil)
        #expect(DialledDestination(dialled: "12005550123") == nil)
    }
}
