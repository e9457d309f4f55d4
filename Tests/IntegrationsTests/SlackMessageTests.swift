import Annotation
import Foundation
@testable import Integrations
import Testing

/// The renderer's Markdown as Slack's mrkdwn blocks, within Slack's
/// limits, and Slack's message text read back as the person wrote it.
@Suite struct SlackMessageTests {
    static let marker = AnnotationMarker(backend: "slack-test", thread: "C1 1.2", callIDs: ["a@b"], engineVersion: 1).text

    static func post(_ markdown: String, plain: String = "plain body") -> RenderedPost {
        RenderedPost(plain: plain + "\n" + marker, formatted: markdown, markup: .markdown, marker: marker)
    }

    @Test func markdownBecomesMrkdwn() {
        #expect(SlackMessage.mrkdwn("### Call a@b failed") == "*Call a@b failed*")
        #expect(SlackMessage.mrkdwn("**486 Busy Here** from the callee") == "*486 Busy Here* from the callee")
        #expect(SlackMessage.mrkdwn("From \\<sip:alice@example.com\\> via \\_edge\\_") == "From &lt;sip:alice@example.com&gt; via _edge_")
        #expect(SlackMessage.mrkdwn("- first\n- second") == "• first\n• second")
        #expect(SlackMessage.mrkdwn("R&amp;D said `a<b>&c`") == "R&amp;D said `a&lt;b&gt;&amp;c`")
        #expect(SlackMessage.mrkdwn("``a`b``") == "`a\u{02CB}b`")
    }

    @Test func aPostBecomesSectionsDividersAndACodeBlock() throws {
        let markdown = "### Call a@b: 486 Busy Here\n\n**Fix:** ring again\n\n```\nINVITE ->\n<- 486\n```\n\n---\n\nSIP diagnosis agent · `\(Self.marker)`\n"
        let message = SlackMessage(Self.post(markdown))
        let blocks = try #require(message.blocks)
        #expect(blocks.count == 3)
        guard case .section(let first) = blocks[0], case .divider = blocks[1], case .section(let last) = blocks[2] else {
            Issue.record("unexpected blocks \(blocks)")
            return
        }
        #expect(first == "*Call a@b: 486 Busy Here*\n\n*Fix:* ring again\n\n```\nINVITE -&gt;\n&lt;- 486\n```")
        #expect(last.contains("`\(Self.marker)`"))
        #expect(message.text.contains(Self.marker))
    }

    @Test func aLongLadderIsSplitIntoFencedSectionsWithinSlacksLimits() throws {
        let rows = (1...400).map { "10:00:\(String(format: "%02d", $0 % 60)).\($0)  alice -> bob  INVITE sip:bob@example.com (row \($0))" }
        let markdown = "### Call\n\n```\n" + rows.joined(separator: "\n") + "\n```\n\nSIP diagnosis agent · `\(Self.marker)`\n"
        let message = SlackMessage(Self.post(markdown))
        let blocks = try #require(message.blocks)
        #expect(blocks.count > 3 && blocks.count <= SlackMessage.maxBlocks)
        var ladder: [String] = []
        for block in blocks {
            guard case .section(let text) = block else { continue }
            #expect(text.utf8.count <= SlackMessage.maxSectionBytes)
            #expect(text.components(separatedBy: "```").count % 2 == 1, "an unbalanced fence in \(text.prefix(80))")
            for line in text.split(separator: "\n") where line.contains("(row ") { ladder.append(String(line)) }
        }
        #expect(ladder == rows.map { $0.replacingOccurrences(of: ">", with: "&gt;") })
    }

    @Test func aLineLongerThanASectionIsCutNotLost() throws {
        let markdown = "```\n" + String(repeating: "x", count: 5_000) + "\n```\n\n`\(Self.marker)`\n"
        let blocks = try #require(SlackMessage(Self.post(markdown)).blocks)
        for case .section(let text) in blocks { #expect(text.utf8.count <= SlackMessage.maxSectionBytes) }
        #expect(blocks.contains { if case .section(let t) = $0 { t.contains(Self.marker) } else { false } })
    }

    @Test func tooManyBlocksFallBackToTextAlone() {
        let markdown = (1...60).map { "para \($0)\n\n---" }.joined(separator: "\n\n") + "\n\n`\(Self.marker)`"
        let message = SlackMessage(Self.post(markdown))
        #expect(message.blocks == nil)
        #expect(message.text.contains(Self.marker))
        #expect(message.json["blocks"] == nil)
    }

    @Test func theFallbackTextIsEscapedAndCutKeepingTheMarker() {
        #expect(SlackMessage(Self.post("x", plain: "INVITE <sip:a@b> & co")).text.hasPrefix("INVITE &lt;sip:a@b&gt; &amp; co"))
        let huge = SlackMessage(Self.post("x", plain: String(repeating: "<", count: 20_000)))
        #expect(huge.text.utf8.count <= SlackMessage.maxTextBytes)
        #expect(huge.text.hasSuffix(Self.marker))
    }

    @Test func slackTextIsReadBackAsTyped() {
        #expect(SlackText.plain("<@UAGENT> why? Call-ID: <mailto:a84b4c76e66710@pc33.example.com|a84b4c76e66710@pc33.example.com>")
                == "@UAGENT why? Call-ID: a84b4c76e66710@pc33.example.com")
        #expect(SlackText.plain("see <https://x.example/a?b=1&amp;c=2> and <#C123|noc> <!here>")
                == "see https://x.example/a?b=1&c=2 and noc @here")
        #expect(SlackText.plain("1 &lt; 2 &amp;&amp; 3 &gt; 2 <unclosed") == "1 < 2 && 3 > 2 <unclosed")
        #expect(SlackText.plain("<mailto:x@y>") == "x@y")
    }

    @Test func threadIDsRoundTrip() {
        #expect(SlackThreadID("C1 1712.0001") == .thread(channel: "C1", ts: "1712.0001"))
        #expect(SlackThreadID("command C1 123.456.abc") == .command(channel: "C1", triggerID: "123.456.abc"))
        #expect(SlackThreadID(SlackThreadID.command(channel: "C9", triggerID: "t").text) == .command(channel: "C9", triggerID: "t"))
        for bad in ["", "C1", "C1 1 2 3", "!room:server $event x y", "command C1", " 1.2"] {
            #expect(SlackThreadID(bad) == nil, "\(bad)")
        }
    }
}
