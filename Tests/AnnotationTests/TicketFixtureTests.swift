import Annotation
import Testing

/// Realistic ticket and chat texts: each gives exactly the Call-IDs its
/// `.expected` file lists, in order, marked as listed.
@Suite struct TicketFixtureTests {
    @Test func thereAreFixturesOfEveryMarkup() throws {
        let all = try TicketFixture.all()
        #expect(all.count >= 9)
        #expect(Set(all.map(\.markup)) == Set(TextMarkup.allCases))
    }

    @Test(arguments: try TicketFixture.all())
    func extractsExactlyTheExpectedCallIDs(_ fixture: TicketFixture) {
        let found = CallIDExtractor().candidates(in: fixture.text, markup: fixture.markup)
        #expect(found == fixture.expected, "\(fixture.name)")
    }
}
