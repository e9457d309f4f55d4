import Testing
import Foundation
import TraceFormats
@testable import Diagnosis

/// Each rule that ties two Call-IDs into one call, and two strangers that must stay apart.
@Suite struct LegTieTests {
    @Test(arguments: [
        ("legs/same-local-part.txt", "same local part before @ (89f3a1b2-c4d5-6e7f)"),
        ("legs/x-call-id.txt", "X-Call-ID header"),
        ("first-failure/b2bua-x-orig-call-id.txt", "X-Orig-Call-ID header"),
        ("first-failure/tie-session-id.txt", "Session-ID header (ab30317f1a784dc48ff824d0d3715d86)"),
        ("legs/p-charging-vector.txt", "P-Charging-Vector icid-value header (1f2e3d4c5b6a)"),
        ("legs/same-numbers.txt", "same From/To numbers (2125550100 -> 4155550123) within 0.6 s"),
    ])
    func legsAreTied(_ file: String, _ how: String) throws {
        let trace = try Fixture.trace(file)
        let calls = Diagnoser().calls(in: trace)
        #expect(calls.count == 1)
        let call = try #require(calls.first)
        #expect(call.legs.count == 2)
        #expect(call.legs[0].tiedBy == nil)
        #expect(call.legs[1].tiedBy?.description.contains(how) == true, "\(call.legs[1].tiedBy?.description ?? "not tied")")
    }

    @Test func unrelatedCallsStayApart() throws {
        let trace = try Fixture.trace("legs/unrelated.txt")
        let diagnoser = Diagnoser()
        #expect(diagnoser.calls(in: trace).count == 2)
        #expect(diagnoser.diagnoseAll(trace).allSatisfy { $0.legs.count == 1 })
    }

    @Test func anOptionsPingIsNotPartOfTheCall() throws {
        let d = try Fixture.diagnose("number-unknown/near-miss.txt")
        #expect(d.legs.count == 1)
        #expect(!d.ladder.contains { $0.label.hasPrefix("OPTIONS") || $0.label.hasPrefix("404") })
    }

    @Test func numbersFurtherApartThanTheWindowAreNotTied() throws {
        var tier = LegTier()
        tier.numberWindow = 0.5
        let calls = tier.calls(in: try Fixture.trace("legs/same-numbers.txt"))
        #expect(calls.count == 2)
    }
}

/// The last-resort rule ties a B2BUA's two legs, not two calls of one phone.
@Suite struct SameNumberTieTests {
    /// `n` calls, one a second, each an INVITE from the same phone to the
    /// same number through the same hop, so none is another's leg.
    static func redials(_ n: Int) -> Trace {
        var text = ""
        for k in 0..<n {
            text += """
                [10:00:\(String(format: "%02d", k)).000] PHONE -> CORE
                INVITE sip:+14155550123@core.example.net SIP/2.0
                Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-r\(k)
                From: <sip:+12125550100@example.com>;tag=f\(k)
                To: <sip:+14155550123@example.com>
                Call-ID: redial-\(k)@ph
                CSeq: 1 INVITE
                Content-Length: 0


                """
        }
        return try! TraceLoader.read(bytes: Array(text.utf8), name: "redials")
    }

    @Test func redialsFromOnePhoneThroughOneHopAreSeparateCalls() {
        let calls = Diagnoser().calls(in: Self.redials(30))
        #expect(calls.count == 30)
    }
}
