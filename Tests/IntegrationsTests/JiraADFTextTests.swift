import Foundation
@testable import Integrations
import Testing

/// ADF as text: each node type with its input beside the text expected.
@Suite struct JiraADFTextTests {
    func text(_ json: String) throws -> String {
        ADFText.text(of: try JSONDecoder().decode(ADFNode.self, from: Data(json.utf8)))
    }

    func doc(_ content: String) -> String { #"{"type":"doc","version":1,"content":[\#(content)]}"# }

    @Test func paragraphsAndHardBreaks() throws {
        #expect(try text(doc(#"""
        {"type":"paragraph","content":[{"type":"text","text":"Hello,"},{"type":"hardBreak"},{"type":"text","text":"Call-ID: a@b"}]},
        {"type":"paragraph","content":[{"type":"text","text":"Thanks","marks":[{"type":"strong"}]}]}
        """#)) == "Hello,\nCall-ID: a@b\n\nThanks")
    }

    @Test func codeBlockVerbatim() throws {
        #expect(try text(doc(#"""
        {"type":"codeBlock","attrs":{"language":"text"},"content":[{"type":"text","text":"INVITE sip:2002@pbx SIP/2.0\nCall-ID: x@y"}]}
        """#)) == "INVITE sip:2002@pbx SIP/2.0\nCall-ID: x@y")
    }

    @Test func mentionsEmojiCardsAndLinks() throws {
        #expect(try text(doc(#"""
        {"type":"paragraph","content":[
          {"type":"mention","attrs":{"id":"5b10","text":"@Agent"}},{"type":"text","text":" see "},
          {"type":"inlineCard","attrs":{"url":"https://homer.example/call/abc@def"}},{"type":"text","text":" "},
          {"type":"emoji","attrs":{"shortName":":smile:","text":"😄"}},{"type":"text","text":" "},
          {"type":"text","text":"the trace","marks":[{"type":"link","attrs":{"href":"https://x.example/t?cid=k@l"}}]},
          {"type":"mention","attrs":{"id":"abc"}}]}
        """#)) == "@Agent see https://homer.example/call/abc@def 😄 the trace (https://x.example/t?cid=k@l)@abc")
    }

    @Test func listsAndQuotes() throws {
        #expect(try text(doc(#"""
        {"type":"bulletList","content":[
          {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]}]},
          {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"two"}]},
             {"type":"orderedList","attrs":{"order":3},"content":[
               {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"three"}]}]},
               {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"four"}]}]}]}]}]},
        {"type":"blockquote","content":[{"type":"paragraph","content":[{"type":"text","text":"quoted"},{"type":"hardBreak"},{"type":"text","text":"lines"}]}]}
        """#)) == "- one\n- two\n\n  3. three\n  4. four\n\n> quoted\n> lines")
    }

    @Test func unknownNodesKeepTheirText() throws {
        #expect(try text(doc(#"""
        {"type":"panel","attrs":{"panelType":"info"},"content":[{"type":"paragraph","content":[{"type":"text","text":"in a panel"}]}]},
        {"type":"futureThing","attrs":{"text":"Call-ID: f@g"},"content":[{"type":"text","text":" inside"}]},
        {"type":"paragraph","content":[{"type":"status","attrs":{"text":"OPEN","color":"blue"}},{"type":"newInline","text":"new inline"}]}
        """#)) == "in a panel\n\nCall-ID: f@g\n inside\n\nOPENnew inline")
    }

    @Test func aPlainStringBodyIsItsText() throws {
        #expect(try text(#""Call-ID: v2@body""#) == "Call-ID: v2@body")
    }

    @Test func deepNestingAndOddValuesNeverCrash() throws {
        var json = #"{"type":"text","text":"deep"}"#
        for _ in 0..<100 { json = #"{"type":"blockquote","content":[\#(json)],"attrs":{"n":[1,{"a":null}],"b":true}}"# }
        let out = try text(doc(json))
        #expect(!out.contains("deep"), "nesting beyond the limit is cut")
        #expect(try text(#"{"type":"doc","content":[{"type":"text"},{"content":[]},{"type":"paragraph","content":[{"type":"text","text":"ok"}]}]}"#) == "ok")
    }
}

/// The cursor's text and the JQL's lower bound.
@Suite struct JiraCursorTests {
    @Test func aCursorReadsBackAsWritten() throws {
        let cursor = JiraCursor(watermark: Date(timeIntervalSince1970: 1_796_230_252.845), handed: ["SUP-2": 1_796_230_252_845, "SUP-10": 1])
        #expect(cursor.text == "2026-12-02T16:50:52.845Z SUP-10@1,SUP-2@1796230252845")
        #expect(try JiraCursor(parsing: cursor.text) == cursor)
    }

    @Test(arguments: ["", "yesterday", "2026-12-02T16:50:52Z SUP-1", "2026-12-02T16:50:52Z ../x@1", "2026-12-02T16:50:52Z a b c"])
    func anotherTextIsRefused(text: String) {
        #expect(throws: JiraError.self) { try JiraCursor(parsing: text) }
    }

    @Test func jiraTimesWithEveryOffsetForm() {
        let expected = Date(timeIntervalSince1970: 1_796_230_252.845)
        for text in ["2026-12-02T11:50:52.845-0500", "2026-12-02T16:50:52.845Z", "2026-12-02T17:50:52.845+01:00"] {
            #expect(JiraTime.parse(text).map { abs($0.timeIntervalSince(expected)) < 0.001 } == true, "\(text)")
        }
        #expect(JiraTime.parse("2026-12-02T16:50:52") == nil)
        #expect(JiraTime.parse("2026-13-02T16:50:52Z") == nil)
    }

    @Test func theLowerBoundIsTheEarlierOfBothReadings() throws {
        let at = Date(timeIntervalSince1970: 1_796_230_252) // 2026-12-02 16:50:52 UTC
        #expect(JiraQuery.lowerBound(at, zone: TimeZone(identifier: "America/New_York")) == "2026/12/02 11:50")
        #expect(JiraQuery.lowerBound(at, zone: TimeZone(identifier: "Europe/Berlin")) == "2026/12/02 16:50")
        #expect(JiraQuery.lowerBound(at, zone: nil) == "2026/12/02 02:50")
        let jql = JiraQuery.jql(from: at, zone: TimeZone(identifier: "UTC"), project: "SUP", extra: "status != \"Done\"")
        #expect(jql == #"project = "SUP" AND updated >= "2026/12/02 16:50" AND (status != "Done") ORDER BY updated ASC, key ASC"#)
    }
}
