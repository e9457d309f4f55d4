import Testing
@testable import SIPCore

/// The header scan answers what the parser would, on every spelling the
/// parser accepts, without parsing.
@Suite struct SIPHeaderScanTests {
    static func message(_ headers: [String], start: String = "INVITE sip:bob@example.com SIP/2.0", body: String = "", ending: String = "\r\n") -> [UInt8] {
        Array(([start] + headers + [""]).joined(separator: ending).appending(ending).appending(body).utf8)
    }

    static func scanned(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBufferPointer { SIPHeaderScan.callID($0) } }
    static func parsed(_ bytes: [UInt8]) -> String? { (try? SIPParser.parse(bytes))?.callID }

    @Test(arguments: [
        ["Via: SIP/2.0/UDP h;branch=z9hG4bK1", "Call-ID: plain-1@h", "CSeq: 1 INVITE"],
        ["i: compact-1@h", "CSeq: 1 INVITE"],
        ["I : compact-upper@h"],
        ["CALL-ID: shouting@h"],
        ["call-id:lower-no-space@h"],
        ["Call-ID \t: blank-before-colon@h"],
        ["Call-ID:   padded@h   "],
        ["Call-Info: <http://x>", "Call-IDx: not-it", "Call-ID: after-lookalikes@h"],
        ["(a narrative line)", "# a comment", "Call-ID: after-narration@h"],
        ["Call-ID: first@h", "Call-ID: second@h"],
    ])
    func callIDIsTheParsersWhateverTheSpelling(_ headers: [String]) {
        let bytes = Self.message(headers)
        #expect(Self.parsed(bytes) != nil)
        #expect(Self.scanned(bytes) == Self.parsed(bytes))
    }

    @Test func foldedAnnotatedAndBareLineFeedCallIDsAreTheParsers() {
        let cases: [[UInt8]] = [
            Self.message(["Call-ID:", "  folded-start@h"]),
            Self.message(["Call-ID: folded", "\t-end@h"]),
            Self.message(["Call-ID: noted@h   <-- the A leg"]),
            Self.message(["Call-ID: lf-only@h", "CSeq: 1 INVITE"], ending: "\n"),
            Self.message(["Call-ID: cr-only@h", "CSeq: 1 INVITE"], ending: "\r"),
            Self.message(["To: <sip:bob@example.com>"], body: "Call-ID: in-the-body@h\r\n"),
            Self.message(["X: y", "   ", "Call-ID: after-a-blank-line-of-spaces@h"]),
        ]
        for bytes in cases { #expect(Self.scanned(bytes) == Self.parsed(bytes), "\(String(decoding: bytes, as: UTF8.self))") }
        #expect(Self.scanned(cases[0]) == "folded-start@h")
        #expect(Self.scanned(cases[2]) == "noted@h")
        #expect(Self.scanned(cases[5]) == nil)
    }

    @Test func aCallIDThatPrefixesAnotherIsReadWhole() {
        #expect(Self.scanned(Self.message(["Call-ID: abc@host"])) == "abc@host")
        #expect(Self.scanned(Self.message(["Call-ID: abc@h"])) == "abc@h")
    }

    @Test func headersStartIsNilExactlyWhenTheParserRefuses() {
        let inputs: [String] = ["", "\r\n\r\n", "hello world\r\n", "INVITE SIP/2.0\r\n", "  INVITE sip:a@b SIP/2.0 <-- first\r\nCall-ID: x\r\n",
                                "\r\nSIP/2.0 200 OK\r\nCall-ID: y\r\n", "SIP/2.0 99 Odd\r\n", "sip/2.0 180 Ringing\r\n"]
        for text in inputs {
            let bytes = Array(text.utf8)
            let start = bytes.withUnsafeBufferPointer { SIPParser.headersStart($0) }
            #expect((start != nil) == ((try? SIPParser.parse(bytes)) != nil), "\(text)")
        }
    }

    static func mayCreateDialog(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { SIPHeaderScan.mayCreateDialog($0) } }

    @Test func aDialogCreatingInviteIsToldByItsStartLineAndToTag() {
        #expect(Self.mayCreateDialog(Self.message(["To: <sip:bob@example.com>", "Call-ID: a@h"])))
        #expect(!Self.mayCreateDialog(Self.message(["To: <sip:bob@example.com>;tag=9f", "Call-ID: a@h"])))
        #expect(!Self.mayCreateDialog(Self.message(["t: sip:bob@example.com ; TAG=9f"])))
        // A tag inside the URI belongs to the URI, not to the To header.
        #expect(Self.mayCreateDialog(Self.message(["To: <sip:bob@example.com;tag=x>"])))
        #expect(Self.mayCreateDialog(Self.message(["Call-ID: no-to@h"])))
        #expect(!Self.mayCreateDialog(Self.message(["To: <sip:bob@example.com>"], start: "SIP/2.0 200 OK")))
        #expect(!Self.mayCreateDialog(Self.message(["To: <sip:bob@example.com>"], start: "BYE sip:bob@example.com SIP/2.0")))
        #expect(!Self.mayCreateDialog(Self.message(["To: <sip:bob@example.com>"], start: "invite sip:bob@example.com SIP/2.0")))
        // Whatever the scan says yes to, the parser agrees has no To tag.
        for headers in [["To: <sip:b@x>"], ["To: <sip:b@x;tag=1>"], ["t: sip:b@x"], ["To: \"Bob; tag=no\" <sip:b@x>"]] {
            let bytes = Self.message(headers)
            if Self.mayCreateDialog(bytes) { continue }
            #expect((try? SIPParser.parse(bytes))?.to?.tag != nil, "\(headers)")
        }
    }
}
