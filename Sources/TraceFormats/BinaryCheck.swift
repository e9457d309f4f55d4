import SIPCore

/// Tells a text trace from binary data by its head, and names the binary
/// formats people pass by mistake so the error can say what they passed.
enum BinaryCheck {
    /// Why the head is not text, or nil when it is.
    static func binaryDetail(_ head: UnsafeBufferPointer<UInt8>) -> String? {
        if let known = knownFormat(head) {
            return "starts with bytes \(hex(head, 4)), which looks like \(known)"
        }
        var nul = 0, control = 0
        for b in head {
            if b == 0 { nul += 1 } else if b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B) || b == 0x7F { control += 1 }
        }
        let share = Double(nul + control) / Double(max(1, head.count))
        guard nul > 0 || share > 0.1 else { return nil }
        // A text trace with a stray NUL is still a text trace if SIP is in it.
        if hasStartLine(head) && share < 0.1 { return nil }
        let what = nul > 0 ? "\(nul) NUL byte\(nul == 1 ? "" : "s")" : "\(Int(share * 100))% control bytes"
        return "starts with bytes \(hex(head, 4)) and has \(what) in its first \(head.count) bytes"
    }

    static func knownFormat(_ head: UnsafeBufferPointer<UInt8>) -> String? {
        if head.count >= 2, (head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) {
            return "UTF-16 text (save it as UTF-8 and try again)"
        }
        guard head.count >= 4 else { return nil }
        let m = (head[0], head[1], head[2], head[3])
        switch m {
        case (0xD4, 0xC3, 0xB2, 0xA1), (0xA1, 0xB2, 0xC3, 0xD4): return "a pcap capture"
        case (0x4D, 0x3C, 0xB2, 0xA1), (0xA1, 0xB2, 0x3C, 0x4D): return "a pcap capture (nanosecond timestamps)"
        case (0x0A, 0x0D, 0x0D, 0x0A): return "a pcapng capture"
        case (0x1F, 0x8B, _, _): return "a gzip archive (gunzip it first)"
        case (0x50, 0x4B, 0x03, 0x04): return "a zip archive (unzip it first)"
        case (0x28, 0xB5, 0x2F, 0xFD): return "a zstd archive (decompress it first)"
        case (0x48, 0x45, 0x50, 0x33): return "a raw HEP v3 packet"
        default: return nil
        }
    }

    static func hasStartLine(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
        var cursor = LineCursor(head)
        while let r = cursor.next() { if SIPParser.isStartLine(head, r) { return true } }
        return false
    }

    static func hex(_ head: UnsafeBufferPointer<UInt8>, _ n: Int) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        return head.prefix(n).map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined(separator: " ")
    }
}
