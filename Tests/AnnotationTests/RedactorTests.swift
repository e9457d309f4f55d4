import Annotation
import Testing

@Suite struct RedactorTests {
    let redactor = try! Redactor(rules: RedactionRules())

    @Test func phoneNumbersAreMaskedKeepingLengthAndTheLastThreeDigits() {
        #expect(redactor.redact("call +4930555012345 now") == "call +xxxxxxxxxx345 now")
        #expect(redactor.redact("+1 (555) 010-0199") == "+x (xxx) xxx-x199")
        #expect(redactor.redact("mobile 0151 1234 5678.") == "mobile xxxx xxxx x678.")
        #expect(redactor.redact("dialled 004930555012345") == "dialled xxxxxxxxxxxx345")
    }

    @Test func phoneNumbersInSIPAndTelURIsToo() {
        #expect(redactor.redact("INVITE sip:+15551234567@core.example.net") == "INVITE sip:+xxxxxxxx567@core.example.net")
        #expect(redactor.redact("<tel:5550123>") == "<tel:xxxx123>")
        #expect(redactor.redact("sip:5550123@10.0.0.1") == "sip:xxxx123@10.0.0.1")
    }

    @Test func extensionsTimesDatesAddressesAndCountsStay() {
        for text in ["To: sip:2002@192.168.1.10", "02:13:07.103 #17", "2026-11-24", "05-11-2026", "SBC at 192.168.1.10:5060",
                     "CSeq 314159", "bytes 120-8800", "tag=1928301774", "branch z9hG4bK776asdhds", "1500 packets, 12 lost"] {
            #expect(redactor.redact(text) == text)
        }
    }

    @Test func emailAddressesLoseTheirLocalPart() {
        #expect(redactor.redact("mail anna.schmidt@example-hotels.de.") == "mail [redacted]@example-hotels.de.")
        #expect(redactor.redact("From: <sip:alice@atlanta.example.com>") == "From: <sip:[redacted]@atlanta.example.com>")
    }

    @Test func ipAddressesOnlyWhenAskedAndKeepingTheirShape() throws {
        let ips = try Redactor(rules: RedactionRules(ipAddresses: true))
        #expect(ips.redact("from 192.168.1.50:5060 to 2001:db8::1") == "from xxx.xxx.x.xx:5060 to xxxx:xxx::x")
        #expect(ips.redact("at 02:13:07.103") == "at 02:13:07.103")
        #expect(redactor.redact("from 192.168.1.50:5060") == "from 192.168.1.50:5060")
    }

    @Test func keptStringsAreNeverChanged() {
        let callID = "+4930555012345-a84b4c76@pc33.atlanta.example.com"
        let text = "Call-ID \(callID) from +4930555012345"
        #expect(redactor.redact(text, keeping: [callID]) == "Call-ID \(callID) from +xxxxxxxxxx345")
    }

    @Test func configuredPatternsAreApplied() throws {
        let custom = try Redactor(rules: RedactionRules(patterns: ["CUST-[0-9]+", "(?i)secret project \\w+"]))
        #expect(custom.redact("account CUST-4711 on Secret Project Falcon") == "account [redacted] on [redacted]")
    }

    @Test func anInvalidPatternIsAClearError() {
        #expect(throws: RedactionPatternError.self) { try Redactor(rules: RedactionRules(patterns: ["ok", "([unclosed"])) }
        do {
            _ = try Redactor(rules: RedactionRules(patterns: ["ok", "([unclosed"]))
        } catch let error as RedactionPatternError {
            #expect(error.index == 1)
            #expect(error.description.contains("redaction pattern #2 '([unclosed'"))
            #expect(error.description.contains("redaction.patterns"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: RedactionPatternError.self) { try Redactor(rules: RedactionRules(patterns: [""])) }
    }

    @Test func rulesSetLaterWithABadPatternBlankEverything() throws {
        var r = try Redactor(rules: RedactionRules())
        r.rules.patterns = ["(unclosed"]
        #expect(r.redact("+4930555012345 and the rest") == "[redacted]")
        r.rules.patterns = ["fine"]
        #expect(r.redact("fine text") == "[redacted] text")
    }

    @Test func nothingWithRulesOff() throws {
        let off = try Redactor(rules: .none)
        let text = "+4930555012345 anna@example.com 10.0.0.1"
        #expect(off.redact(text) == text)
    }
}
