/// How many bytes at the start of a capture a range of its frames needs
/// in front of it to be read as a capture of its own: the pcap file
/// header, or every pcapng block before the first packet block (the
/// section header and the interface descriptions the packets refer to).
enum CaptureHead {
    static let pcapHeaderBytes = 24

    /// Nil when the head given does not reach the first packet block
    /// (the caller then reads from byte 0).
    static func length(_ head: [UInt8]) -> Int? {
        guard head.count >= 12 else { return nil }
        let magic = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
        guard magic == 0x0A0D_0D0A else { return head.count >= pcapHeaderBytes ? pcapHeaderBytes : nil }
        // The section header's byte-order magic says how to read lengths.
        let little = head[8] == 0x4D && head[9] == 0x3C
        func u32(_ at: Int) -> UInt32 {
            let b = (UInt32(head[at]), UInt32(head[at + 1]), UInt32(head[at + 2]), UInt32(head[at + 3]))
            return little ? b.0 | b.1 << 8 | b.2 << 16 | b.3 << 24 : b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3
        }
        var at = 0
        while at + 8 <= head.count {
            let type = u32(at), length = Int(u32(at + 4))
            // Enhanced, simple and obsolete packet blocks: the frames begin.
            if type == 6 || type == 3 || type == 2 { return at }
            guard length >= 12, length % 4 == 0 else { return nil }
            at += length
        }
        return nil
    }
}
