import Testing
@testable import SIPCore

@Suite struct HeaderValueTests {
    @Test func splitListOnTopLevelCommas() {
        #expect(HeaderValue.splitList("a, b ,c") == ["a", "b", "c"])
    }

    @Test func splitListKeepsQuotedCommas() {
        #expect(HeaderValue.splitList("\"Doe, J\" <sip:x>, <sip:y>") == ["\"Doe, J\" <sip:x>", "<sip:y>"])
    }

    @Test func splitListKeepsCommasInAngleBrackets() {
        #expect(HeaderValue.splitList("<sip:a;x=1,2>, <sip:b>") == ["<sip:a;x=1,2>", "<sip:b>"])
    }

    @Test func splitListHonoursEscapedQuoteInsideQuotes() {
        #expect(HeaderValue.splitList("\"a\\\", b\" <sip:x>, c") == ["\"a\\\", b\" <sip:x>", "c"])
    }

    @Test func splitListDropsEmptyItems() {
        #expect(HeaderValue.splitList(", a,, ,b,") == ["a", "b"])
    }

    @Test func splitListOfEmptyIsEmpty() {
        #expect(HeaderValue.splitList("").isEmpty)
    }

    @Test func angleBracketInsideQuotesDoesNotOpenURI() {
        #expect(HeaderValue.splitList("\"<weird\" <sip:a>, <sip:b>") == ["\"<weird\" <sip:a>", "<sip:b>"])
    }

    @Test func splitOnSemicolon() {
        #expect(HeaderValue.split("a;b=\"x;y\";c", on: UInt8(ascii: ";")) == ["a", "b=\"x;y\"", "c"])
    }

    @Test func parametersLowerCaseNamesAndUnquoteValues() {
        let p = HeaderValue.parameters("Tag=Abc;TEXT=\"Call Rejected\";lr")
        #expect(p.map(\.name) == ["tag", "text", "lr"])
        #expect(p.map(\.value) == ["Abc", "Call Rejected", nil])
    }

    @Test func parameterValueMayContainEquals() {
        let p = HeaderValue.parameters("text=\"a=b\"")
        #expect(p.first?.value == "a=b")
    }

    @Test func parameterSpacesAroundEqualsAreTrimmed() {
        let p = HeaderValue.parameters(" cause = 21 ")
        #expect(p.first?.name == "cause")
        #expect(p.first?.value == "21")
    }

    // MARK: Parameters

    @Test func parametersSubscriptIsCaseInsensitive() {
        let p = Parameters("branch=z9hG4bK1;RPort=5060")
        #expect(p["BRANCH"] == "z9hG4bK1")
        #expect(p["rport"] == "5060")
    }

    @Test func valuelessParameterIsContainedButHasNoValue() {
        let p = Parameters("lr;rport")
        #expect(p.contains("lr"))
        #expect(p.contains("RPORT"))
        #expect(p["lr"] == nil)
    }

    @Test func missingParameterIsNotContained() {
        let p = Parameters("a=1")
        #expect(!p.contains("b"))
        #expect(p["b"] == nil)
    }

    @Test func emptyParametersHaveNoItems() {
        #expect(Parameters().items.isEmpty)
        #expect(Parameters("").items.isEmpty)
        #expect(Parameters(";").items.isEmpty)
    }

    @Test func parametersKeepOrder() {
        #expect(Parameters("c=3;a=1;b=2").items.map(\.name) == ["c", "a", "b"])
    }

    @Test func firstOfRepeatedParameterWins() {
        #expect(Parameters("x=1;x=2")["x"] == "1")
    }

    @Test func parameterValueInAngleBracketsKeepsSemicolons() {
        #expect(Parameters("info=<https://a.example/x;y>;alg=ES256")["info"] == "<https://a.example/x;y>")
    }
}
