import ArgumentParser

/// How `diagnose` prints its explanation.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// Plain text with a monospace ladder, for terminals.
    case text
    /// Markdown for tickets and chat; the ladder sits in a code block.
    case markdown
    /// JSON for machines; the schema is in docs/json-schema.md.
    case json
}
