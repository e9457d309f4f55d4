import Foundation

/// An ADF document as the plain text a person would read in it, for the
/// Call-ID extractor: paragraphs and headings as lines, hard breaks as
/// line breaks, code blocks verbatim, list items as `- ` / `1. ` lines,
/// quotes as `> ` lines (so that a quoted agent post is taken out as in a
/// mail, `QuotedAgentPost`), mentions and emoji by their text, cards by
/// their URL, a link's address beside its text when they differ. A node
/// type not named here gives the text of what it holds, so nothing new is
/// lost. Bounded: nesting beyond `maxDepth` and text beyond `maxBytes` are
/// cut, never a crash.
enum ADFText {
    static let maxDepth = 64
    static let maxBytes = 1 << 20

    static func text(of document: ADFNode) -> String {
        var budget = maxBytes
        let lines = blocks([document], depth: 0, budget: &budget)
        return tidy(lines).joined(separator: "\n")
    }

    /// One blank line between blocks at most, none at the ends.
    private static func tidy(_ lines: [String]) -> [String] {
        var out: [String] = []
        for line in lines {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if let last = out.last, !last.isEmpty { out.append("") }
            } else {
                out.append(line)
            }
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }

    /// Block nodes as lines, each block followed by a blank line.
    private static func blocks(_ nodes: [ADFNode], depth: Int, budget: inout Int) -> [String] {
        guard depth < maxDepth else { return [] }
        var lines: [String] = []
        for node in nodes {
            switch node.type {
            case "paragraph", "heading", "tableCell", "tableHeader", "decisionItem", "taskItem":
                // Inline content; a block inside (not valid ADF) still gives its text.
                lines += inlineLines(node.content, depth: depth + 1, budget: &budget)
                lines.append("")
            case "codeBlock":
                let code = take(node.content.compactMap(\.text).joined(), budget: &budget)
                lines += code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                lines.append("")
            case "blockquote":
                lines += tidy(blocks(node.content, depth: depth + 1, budget: &budget)).map { $0.isEmpty ? ">" : "> " + $0 }
                lines.append("")
            case "bulletList", "orderedList", "taskList", "decisionList":
                var number = Int(node.attribute("order") ?? "") ?? 1
                for item in node.content {
                    let marker = node.type == "orderedList" ? "\(number). " : "- "
                    number += 1
                    let held: [String]
                    if item.type == "listItem" {
                        held = blocks(item.content, depth: depth + 2, budget: &budget)
                    } else {
                        held = blocks([item], depth: depth + 2, budget: &budget)
                    }
                    let inner = tidy(held)
                    let indent = String(repeating: " ", count: marker.count)
                    for (index, line) in inner.enumerated() {
                        lines.append(index == 0 ? marker + line : (line.isEmpty ? "" : indent + line))
                    }
                }
                lines.append("")
            case "rule":
                lines += ["---", ""]
            case "expand", "nestedExpand":
                if let title = node.attribute("title"), !title.isEmpty { lines.append(take(title, budget: &budget)) }
                lines += blocks(node.content, depth: depth + 1, budget: &budget)
            default:
                if isInline(node) {
                    lines += inlineLines([node], depth: depth + 1, budget: &budget)
                    lines.append("")
                } else {
                    // doc, tables, panels, layouts, media and any type this
                    // reader does not know: what it says and what it holds.
                    let own = [node.text, node.attribute("text"), node.attribute("url")].compactMap { $0 }.filter { !$0.isEmpty }
                    if !own.isEmpty { lines.append(take(own.joined(separator: " "), budget: &budget)) }
                    lines += blocks(node.content, depth: depth + 1, budget: &budget)
                }
            }
        }
        return lines
    }

    private static func isInline(_ node: ADFNode) -> Bool {
        ["text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status", "placeholder", "mediaInline", "inlineExtension"]
            .contains(node.type)
    }

    /// Inline nodes as the lines their hard breaks make.
    private static func inlineLines(_ nodes: [ADFNode], depth: Int, budget: inout Int) -> [String] {
        var lines: [String] = []
        var current = ""
        inline(nodes, depth: depth, budget: &budget, lines: &lines, current: &current)
        lines.append(current)
        return lines
    }

    private static func inline(_ nodes: [ADFNode], depth: Int, budget: inout Int, lines: inout [String], current: inout String) {
        guard depth < maxDepth else { return }
        for node in nodes {
            switch node.type {
            case "text":
                let text = node.text ?? ""
                current += take(text, budget: &budget)
                if let href = node.marks.first(where: { $0.type == "link" })?.href, !href.isEmpty, href != text {
                    current += take(" (\(href))", budget: &budget)
                }
            case "hardBreak":
                lines.append(current)
                current = ""
            case "mention":
                current += take(node.attribute("text") ?? "@" + (node.attribute("id") ?? "someone"), budget: &budget)
            case "emoji":
                current += take(node.attribute("text") ?? node.attribute("shortName") ?? "", budget: &budget)
            case "inlineCard", "blockCard", "embedCard":
                current += take(node.attribute("url") ?? "", budget: &budget)
            case "date":
                current += take(node.attribute("timestamp") ?? "", budget: &budget)
            default:
                let own = [node.text, node.attribute("text"), node.attribute("url")].compactMap { $0 }
                current += take(own.joined(separator: " "), budget: &budget)
                inline(node.content, depth: depth + 1, budget: &budget, lines: &lines, current: &current)
            }
        }
    }

    /// `text`, or as much of it as the budget still allows.
    private static func take(_ text: String, budget: inout Int) -> String {
        guard budget > 0 else { return "" }
        let count = text.utf8.count
        if count <= budget {
            budget -= count
            return text
        }
        let kept = String(decoding: text.utf8.prefix(budget), as: UTF8.self)
        budget = 0
        return kept
    }
}
