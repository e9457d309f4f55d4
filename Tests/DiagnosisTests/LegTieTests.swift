import Testing
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
