import Testing
@testable import SIPCore

@Suite struct Q850CauseTests {
    @Test func reasonHeaderGivesCauseAndText() throws {
        let m = try parsed("SIP/2.0 403 Forbidden", "Reason: Q.850;cause=21;text=\"Call Rejected\"", "")
        #expect(m.q850Cause == Q850Cause(value: 21, text: "Call Rejected"))
    }

    @Test func reasonWithoutText() throws {
        let m = try parsed("SIP/2.0 503 Service Unavailable", "Reason: Q.850;cause=34", "")
        #expect(m.q850Cause == Q850Cause(value: 34))
    }

    @Test func protocolNameIsCaseInsensitiveAndSpacesTolerated() throws {
        let m = try parsed("BYE sip:a@b SIP/2.0", "Reason: q.850 ; cause = 16", "")
        #expect(m.q850Cause?.value == 16)
    }

    @Test func q850AfterSIPReasonInSameLine() throws {
        let m = try parsed("SIP/2.0 487 Request Terminated", "Reason: SIP;cause=487;text=\"Terminated, by caller\", Q.850;cause=31", "")
        #expect(m.q850Cause?.value == 31)
    }

    @Test func q850InSecondReasonHeader() throws {
        let m = try parsed("SIP/2.0 486 Busy Here", "Reason: SIP;cause=486", "Reason: Q.850;cause=17;text=\"User busy\"", "")
        #expect(m.q850Cause == Q850Cause(value: 17, text: "User busy"))
    }

    @Test func onlySIPReasonIsNil() throws {
        #expect(try parsed("SIP/2.0 487 Request Terminated", "Reason: SIP;cause=487", "").q850Cause == nil)
    }

    @Test func nonNumericCauseIsNil() throws {
        #expect(try parsed("SIP/2.0 500 Error", "Reason: Q.850;cause=abc", "").q850Cause == nil)
    }

    @Test func noReasonIsNil() throws {
        #expect(try parsed("SIP/2.0 500 Error", "").q850Cause == nil)
    }

    @Test(arguments: [
        (1, "unallocated number"), (16, "normal clearing"), (17, "user busy"), (21, "call rejected"),
        (34, "no circuit/channel available"), (38, "network out of order"), (41, "temporary failure"),
        (42, "switching equipment congestion"), (47, "resource unavailable, unspecified"), (127, "interworking, unspecified"),
    ])
    func knownCauseNames(value: Int, name: String) {
        #expect(Q850Cause(value: value).name == name)
    }

    @Test func unknownCauseName() {
        #expect(Q850Cause(value: 200).name == "cause 200")
    }

    @Test func descriptionNamesCause() {
        #expect(Q850Cause(value: 21).description == "Q.850 cause 21 (call rejected)")
    }
}
