import Foundation
import Testing
import TraceFormats

/// Messages that are cut, lie, or are strangely shaped still come through,
/// with a warning saying what was forgiven.
@Suite struct MessageRobustnessTests {
    @Test func truncatedLastMessageIsStillRead() throws {
        let cut = String(TestTraces.invite(cseq: 2).prefix(200))   // ends in the middle of the To header
        let t = try readText(TestTraces.response("200 OK") + "\r\n" + cut)
        #expect(t.messages.count == 2)
        let last = try #require(t.messages.last)
        #expect(last.message.method == "INVITE")
        #expect(last.message.warnings.contains { $0.contains("truncated") })
        #expect(t.warnings.isEmpty, "parser warnings stay on the message")
    }

    @Test func megabyteHeaderLineIsCut() throws {
        let long = "X-Junk: " + String(repeating: "a", count: 1 << 20)
        let text = TestTraces.invite().replacingOccurrences(of: "Max-Forwards: 70", with: long + "\r\nMax-Forwards: 70")
            + TestTraces.response("100 Trying")
        let clock = ContinuousClock()
        var trace: Trace? = nil
        let elapsed = try clock.measure { trace = try readText(text) }
        let t = try #require(trace)
        #expect(t.messages.count == 2)
        let invite = t.messages[0].message
        #expect((invite["x-junk"]?.utf8.count ?? 0) <= 16 * 1024)
        #expect(invite.warnings.contains { $0.contains("cut to") })
        #expect(invite["max-forwards"] == "70")
        #expect(elapsed < .seconds(5))
    }

    @Test func contentLengthTooBigDoesNotSwallowTheNextMessage() throws {
        let text = TestTraces.invite(contentLength: 5000) + TestTraces.response("100 Trying")
        let t = try readText(text)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying"])
        #expect(t.messages[0].message.warnings.contains { $0.contains("truncated") })
        #expect(t.messages[0].message.body.hasPrefix("v=0"))
    }

    @Test func contentLengthTooSmallKeepsTheBody() throws {
        let text = TestTraces.invite(contentLength: 10) + TestTraces.response("100 Trying")
        let t = try readText(text)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying"])
        #expect(t.messages[0].message.warnings.contains { $0.contains("does not match") })
        #expect(t.messages[0].message.body.contains("m=audio"))
    }

    @Test func carriageReturnOnlyLineEndings() throws {
        let text = TestTraces.invite(eol: "\r") + "\r" + TestTraces.response("180 Ringing", eol: "\r")
        let t = try readText(text)
        #expect(t.format == .rawSIP)
        #expect(t.messages.map(\.message.summary) == ["INVITE", "180 Ringing"])
        #expect(t.messages[0].message.callID == "a84b4c76e66710@192.168.1.50")
        #expect(t.messages[1].line == 22)
    }

    @Test func mixedLineEndingsWithoutBlankLines() throws {
        let text = TestTraces.invite(body: "", eol: "\n") + TestTraces.response("100 Trying", eol: "\r\n").dropLast(1)   // one Character: "\r\n" is a single grapheme
            + TestTraces.response("486 Busy Here", eol: "\r")
        let t = try readText(String(text))
        #expect(t.messages.map(\.message.summary) == ["INVITE", "100 Trying", "486 Busy Here"])
    }

    @Test func dotDotSlashCallIDIsJustData() throws {
        let t = try readText(TestTraces.invite(callID: "../../etc/passwd"))
        #expect(t.messages[0].message.callID == "../../etc/passwd")
    }

    @Test func textBeforeTheFirstMessageIsReported() throws {
        let t = try readText("Customer says calls fail since Monday.\nTrace below:\n\n" + TestTraces.invite())
        #expect(t.messages.count == 1)
        #expect(t.messages[0].line == 4)
        #expect(t.warnings == ["ignored 2 lines outside any SIP message (first at line 1)"])
    }

    @Test func annotatedStartLine() throws {
        let t = try readText("[02:13:07.100] PHONE -> CORE\nINVITE sip:2002@203.0.113.10 SIP/2.0  <-- wrong number\nCall-ID: x1\n\n")
        #expect(t.format == .portal)
        #expect(t.messages[0].message.requestURI == "sip:2002@203.0.113.10")
    }
}
