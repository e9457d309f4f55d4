import Testing
@testable import SIPCore

@Suite struct SIPHeaderTests {
    @Test(arguments: [
        ("i", "call-id"), ("f", "from"), ("t", "to"), ("v", "via"), ("m", "contact"),
        ("l", "content-length"), ("c", "content-type"), ("k", "supported"), ("s", "subject"),
        ("e", "content-encoding"), ("o", "event"), ("r", "refer-to"), ("b", "referred-by"),
        ("x", "session-expires"), ("y", "identity"), ("u", "allow-events"),
    ])
    func compactFormMapsToLongForm(compact: String, long: String) {
        #expect(HeaderName.key(for: compact) == long)
        #expect(HeaderName.key(for: compact.uppercased()) == long)
    }

    @Test func longNameIsLowerCased() {
        #expect(HeaderName.key(for: "P-Asserted-Identity") == "p-asserted-identity")
    }

    @Test func unknownSingleLetterStaysItself() {
        #expect(HeaderName.key(for: "Z") == "z")
    }

    @Test func headerRecordsNameAsWrittenAndKey() {
        let h = SIPHeader(name: "i", value: "abc")
        #expect(h.name == "i")
        #expect(h.key == "call-id")
        #expect(h.value == "abc")
    }

    @Test func differentSpellingsShareKey() {
        #expect(SIPHeader(name: "CALL-ID", value: "").key == SIPHeader(name: "Call-Id", value: "").key)
    }
}
