/// What one line of a text trace is to the format reading it.
enum TraceLine {
    /// Part of a message, or of the text around messages.
    case content
    /// The line a format writes above each message.
    case heading(MessageHeading)
    /// Decoration that belongs to no message (`#` markers, rules before a message).
    case ignore
    /// A line that closes the current message (a closing rule, the next log line).
    case end
}
