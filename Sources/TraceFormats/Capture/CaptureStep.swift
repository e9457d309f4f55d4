/// What a format parser found at the cursor. The reader, not the parser,
/// decides whether damage is an error (nothing read yet) or the end of what
/// can be read (frames already delivered), and words the warning.
enum CaptureStep {
    case frame(Frame)
    /// The file ends cleanly between records.
    case end
    /// The file ends inside a record or block; `what` names it ("frame 812",
    /// "an interface description block").
    case cut(what: String)
    /// The framing is broken at `offset`.
    case damaged(offset: Int, detail: String)
}
