import Diagnosis
import Testing

@Suite struct CallTableTests {
    @Test func oneLinePerCallWithCountAndHeadline() {
        let entries = (0..<25).map { CallTable.Entry(callID: "call-\($0)@host", messages: 7, outcome: .healthy, headline: "Call connected") }
        let lines = CallTable(entries).render().split(separator: "\n")
        #expect(lines.count == 27) // header, rule, 25 calls
        #expect(lines[2].hasPrefix("call-0@host"))
        #expect(lines[2].hasSuffix("7  Call connected"))
    }

    @Test func longCallIDsAndHeadlinesAreCutToTheWidth() {
        let entry = CallTable.Entry(callID: String(repeating: "a", count: 80), messages: 12_345, outcome: .failed,
                                    headline: String(repeating: "word ", count: 40))
        for line in CallTable([entry]).render().split(separator: "\n") { #expect(line.count <= 100) }
    }
}
