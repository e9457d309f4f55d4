/// How a text someone wrote is marked up, as its back-end delivers it: a
/// ticket reply in HTML, a chat message in Markdown-ish text, a plain
/// e-mail body. Extraction reads each on its own terms (an HTML tag is not
/// a token, a code block is a strong hint).
public enum TextMarkup: String, Sendable, Codable, CaseIterable {
    case plain
    case markdown
    case html
}
