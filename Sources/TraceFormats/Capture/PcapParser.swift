/// Classic pcap: a 24-byte file header, then 16-byte record headers each
/// followed by the captured bytes. Layout and checks after libpcap's
/// sf-pcap.c (pcap_check_header, pcap_next_packet).
struct PcapParser {
    static let fileHeaderBytes = 24
    static let recordHeaderBytes = 16

    var order: CaptureByteOrder
    var nanosecond: Bool
    var linkType: LinkType
    /// 0 in the header means "no limit"; kept as the header says it.
    var snapLength: Int
    var maxCaptured: Int
    /// pcap 2.0 to 2.2 wrote the lengths the other way round; 2.3 files
    /// exist both ways (libpcap swaps them when caplen > len).
    var lengthsSwapped: LengthOrder
    private var warnedOverSnap = false

    enum LengthOrder { case normal, swapped, maybeSwapped }

    /// Reads the file header at the cursor (the caller sniffed the magic).
    init(_ buf: CaptureBuffer, format: CaptureFormat) throws(CaptureError) {
        guard case .pcap(let order, let ns) = format else { preconditionFailure("not pcap") }
        guard try buf.request(Self.fileHeaderBytes) else {
            throw .cutInHeader(path: buf.path, format: format, headerBytes: Self.fileHeaderBytes, fileBytes: buf.available)
        }
        let p = buf.cursor
        let major = Int(order.u16(p, 4)), minor = Int(order.u16(p, 6))
        // libpcap reads 2.0 to 2.4 (and DG/UX's 543.0, lengths swapped).
        switch (major, minor) {
        case (2, 0...2), (543, 0): lengthsSwapped = .swapped
        case (2, 3): lengthsSwapped = .maybeSwapped
        case (2, 4): lengthsSwapped = .normal
        default: throw .unsupportedVersion(path: buf.path, format: format, major: major, minor: minor)
        }
        self.order = order
        nanosecond = ns
        snapLength = Int(order.u32(p, 16))
        // The upper 6 bits carry FCS information, not the link type
        // (libpcap's LT_LINKTYPE mask).
        linkType = LinkType(rawValue: order.u32(p, 20) & 0x03FF_FFFF)
        maxCaptured = CaptureLimits.maxCapturedLength(linkType)
        buf.advance(Self.fileHeaderBytes)
    }

    mutating func next(_ buf: CaptureBuffer, number: Int, warnings: inout [String]) throws(CaptureError) -> CaptureStep {
        guard try buf.request(Self.recordHeaderBytes) else {
            return buf.available == 0 ? .end : .cut(what: "frame \(number)")
        }
        var p = buf.cursor
        let seconds = order.u32(p, 0), fraction = order.u32(p, 4)
        var captured = Int(order.u32(p, 8)), original = Int(order.u32(p, 12))
        if lengthsSwapped != .normal, lengthsSwapped == .swapped || captured > original {
            swap(&captured, &original)
        }
        if captured > maxCaptured {
            let over = snapLength > 0 && captured > snapLength ? ", and the file's snap length is \(snapLength)" : ""
            return .damaged(offset: buf.offset, detail: "its record header says \(captured) bytes were captured, over the \(maxCaptured)-byte maximum for \(linkType)\(over)")
        }
        if snapLength > 0, captured > snapLength, !warnedOverSnap {
            // Framing is by the record's own length, so the frame is intact;
            // libpcap reads these too (Solaris bufmod wrote them).
            warnedOverSnap = true
            warnings.append("frame \(number) holds \(captured) bytes, more than the snap length \(snapLength) in the file header; frames are read whole regardless")
        }
        let total = Self.recordHeaderBytes + captured
        guard try buf.request(total) else { return .cut(what: "frame \(number)") }
        p = buf.cursor
        let nanos = Int64(seconds) * 1_000_000_000 + Int64(fraction) * (nanosecond ? 1 : 1_000)
        let frame = Frame(number: number, timestampNanos: nanos, linkType: linkType, originalLength: original,
                          data: UnsafeRawBufferPointer(start: p + Self.recordHeaderBytes, count: captured))
        buf.advance(total)
        return .frame(frame)
    }
}
