import SIPCore

/// The sniffing rule shared by formats with headings: headings followed
/// by SIP start lines in the head of the file.
enum HeadingCount {
    static func confidence(_ head: UnsafeBufferPointer<UInt8>,
                           heading: (UnsafeBufferPointer<UInt8>, Range<Int>) -> MessageHeading?,
                           startsMessage: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool = { SIPParser.isStartLine($0, $1) }) -> Double {
        var cursor = LineCursor(head)
        var headings = 0, starts = 0, lines = 0
        while let r = cursor.next(), lines < 5_000 {
            lines += 1
            if let h = heading(head, r) {
                headings += 1
                if let inline = h.inlinePayload, startsMessage(head, ByteText.trimmed(head, inline)) { starts += 1 }
            } else if startsMessage(head, ByteText.trimmed(head, r)) {
                starts += 1
            }
        }
        guard headings > 0 else { return 0 }
        guard starts > 0 else { return 0.4 }
        // Nearly one heading per message is the signature of the format.
        return headings * 2 >= starts ? 0.9 : 0.6
    }
}
