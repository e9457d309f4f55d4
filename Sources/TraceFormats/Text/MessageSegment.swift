/// Where one message sits in the trace bytes, before it is parsed.
struct MessageSegment {
    /// From the start line to the last line that belongs to the message.
    var range: Range<Int>
    /// 1-based line of the start line.
    var line: Int
    var heading: MessageHeading?
    /// Where the start line's content ends (raw SIP, which knows it).
    var startLineEnd: Int? = nil
}
