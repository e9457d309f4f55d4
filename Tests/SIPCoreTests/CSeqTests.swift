import Testing
@testable import SIPCore

@Suite struct CSeqTests {
    @Test func numberAndMethod() {
        #expect(CSeq("102 INVITE") == CSeq(number: 102, method: "INVITE"))
    }

    @Test func methodIsUpperCased() {
        #expect(CSeq("1 bye")?.method == "BYE")
    }

    @Test func extraSpacesAndTabs() {
        #expect(CSeq("  7 \t REGISTER ") == CSeq(number: 7, method: "REGISTER"))
    }

    @Test func largestNumber() {
        #expect(CSeq("4294967295 ACK")?.number == UInt32.max)
    }

    @Test(arguments: ["", "102", "INVITE", "abc INVITE", "-1 INVITE", "4294967296 INVITE"])
    func invalidCSeqIsNil(_ text: String) {
        #expect(CSeq(text) == nil)
    }
}
