/// pcapng: a sequence of blocks (type, total length, body, total length
/// again). Sections start with a Section Header Block that sets the byte
/// order and forgets the interfaces of the section before; packets come in
/// Enhanced, Simple or (obsolete) Packet Blocks; every other block type is
/// skipped. Layout and checks after libpcap's sf-pcapng.c (read_block,
/// add_interface, pcap_ng_next_packet) and the pcapng specification.
///
/// Unlike libpcap, interfaces of different link types (an "any" capture
/// next to a loopback one) are read: each frame carries its own link type.
struct PcapNGParser {
    static let shbType: UInt32 = 0x0A0D_0D0A
    static let idbType: UInt32 = 1
    static let pbType: UInt32 = 2
    static let spbType: UInt32 = 3
    static let epbType: UInt32 = 6
    /// Block type, total length, byte-order magic, versions, section length.
    static let shbMinimum = 28

    private(set) var order: CaptureByteOrder = .littleEndian
    private var interfaces: [PcapNGInterface] = []
    private var section = 0
    private var maxBlock = CaptureLimits.defaultMaxBlock
    private var warnedOverSnap = false
    private var warnedNoTime = false

    /// Reads the first Section Header Block (the caller sniffed its type).
    init(_ buf: CaptureBuffer, warnings: inout [String]) throws(CaptureError) {
        guard try buf.request(Self.shbMinimum) else {
            throw .cutInHeader(path: buf.path, format: .pcapng, headerBytes: Self.shbMinimum, fileBytes: buf.available)
        }
        switch try readBlock(buf, number: 1, warnings: &warnings) {
        case .damaged(let offset, let detail): throw .damaged(path: buf.path, frame: 1, offset: offset, detail: detail)
        case .cut: throw .cutInHeader(path: buf.path, format: .pcapng, headerBytes: Self.shbMinimum, fileBytes: buf.available)
        case .unsupported(let major, let minor): throw .unsupportedVersion(path: buf.path, format: .pcapng, major: major, minor: minor)
        case .frame, .end, .skipped: break
        }
    }

    mutating func next(_ buf: CaptureBuffer, number: Int, warnings: inout [String]) throws(CaptureError) -> CaptureStep {
        while true {
            switch try readBlock(buf, number: number, warnings: &warnings) {
            case .frame(let f): return .frame(f)
            case .skipped: continue
            case .end: return .end
            case .cut(let what): return .cut(what: what)
            case .damaged(let offset, let detail): return .damaged(offset: offset, detail: detail)
            case .unsupported(let major, let minor):
                return .damaged(offset: buf.offset, detail: "section \(section + 1) is pcapng version \(major).\(minor), which agentctl cannot read")
            }
        }
    }

    private enum BlockResult {
        case frame(Frame)
        case skipped
        case end
        case cut(String)
        case damaged(offset: Int, detail: String)
        case unsupported(major: Int, minor: Int)
    }

    private mutating func readBlock(_ buf: CaptureBuffer, number: Int, warnings: inout [String]) throws(CaptureError) -> BlockResult {
        guard try buf.request(8) else { return buf.available == 0 ? .end : .cut("a block header") }
        let start = buf.offset
        var p = buf.cursor
        let type = order.u32(p, 0)
        if type == Self.shbType {
            // The new section's byte order decides how to read its length.
            guard try buf.request(12) else { return .cut("a section header block") }
            p = buf.cursor
            if CaptureByteOrder.littleEndian.u32(p, 8) == 0x1A2B_3C4D {
                order = .littleEndian
            } else if CaptureByteOrder.bigEndian.u32(p, 8) == 0x1A2B_3C4D {
                order = .bigEndian
            } else {
                return .damaged(offset: start, detail: "a section header block has no valid byte-order magic (1a2b3c4d)")
            }
        }
        let length = Int(order.u32(p, 4))
        let minimum = Self.minimumLength(type)
        guard length >= minimum else {
            return .damaged(offset: start, detail: "\(Self.named(type)) says it is \(length) bytes long, shorter than the \(minimum) bytes such a block needs")
        }
        guard length % 4 == 0 else {
            return .damaged(offset: start, detail: "\(Self.named(type)) says it is \(length) bytes long, which is not a multiple of 4")
        }
        guard length <= maxBlock else {
            return .damaged(offset: start, detail: "\(Self.named(type)) says it is \(length) bytes long, over the \(maxBlock)-byte limit")
        }
        guard try buf.request(length) else {
            return .cut(Self.isPacket(type) ? "frame \(number)" : Self.named(type))
        }
        p = buf.cursor
        let trailer = Int(order.u32(p, length - 4))
        guard trailer == length else {
            return .damaged(offset: start, detail: "\(Self.named(type)) of \(length) bytes ends with the length \(trailer); the two must match")
        }
        let result: BlockResult
        switch type {
        case Self.epbType, Self.pbType:
            result = packet(p, length: length, type: type, number: number, start: start, warnings: &warnings)
        case Self.spbType:
            result = simplePacket(p, length: length, number: number, start: start, warnings: &warnings)
        case Self.idbType:
            result = interface(p, length: length, warnings: &warnings)
        case Self.shbType:
            let major = Int(order.u16(p, 12)), minor = Int(order.u16(p, 14))
            // libpcap and Wireshark read 1.0 and 1.2 (1.2 only adds block types).
            guard major == 1, minor == 0 || minor == 2 else { return .unsupported(major: major, minor: minor) }
            section += 1
            interfaces.removeAll(keepingCapacity: true)
            result = .skipped
        default:
            // NRB, ISB, DSB, custom blocks, and types not yet assigned.
            result = .skipped
        }
        if case .damaged = result { return result }
        buf.advance(length)
        return result
    }

    /// EPB (interface u32, time high, time low, captured, original) and the
    /// obsolete PB (interface u16, drops u16, then the same).
    private mutating func packet(_ p: UnsafeRawPointer, length: Int, type: UInt32, number: Int, start: Int,
                                 warnings: inout [String]) -> BlockResult {
        let index = type == Self.epbType ? Int(order.u32(p, 8)) : Int(order.u16(p, 8))
        guard index < interfaces.count else {
            return .damaged(offset: start, detail: "frame \(number) names interface \(index), but section \(section) describes \(interfaces.count) interface\(interfaces.count == 1 ? "" : "s")")
        }
        let iface = interfaces[index]
        let ticks = UInt64(order.u32(p, 12)) << 32 | UInt64(order.u32(p, 16))
        let captured = Int(order.u32(p, 20)), original = Int(order.u32(p, 24))
        guard captured <= length - 32 else {
            return .damaged(offset: start, detail: "frame \(number) says \(captured) bytes were captured, more than its \(length)-byte block holds")
        }
        guard captured <= iface.maxCaptured else {
            return .damaged(offset: start, detail: "frame \(number) says \(captured) bytes were captured, over the \(iface.maxCaptured)-byte maximum for \(iface.linkType)")
        }
        if iface.snapLength > 0, captured > iface.snapLength, !warnedOverSnap {
            warnedOverSnap = true
            warnings.append("frame \(number) holds \(captured) bytes, more than its interface's snap length \(iface.snapLength); frames are read whole regardless")
        }
        return .frame(Frame(number: number, timestampNanos: iface.clock.nanos(ticks), linkType: iface.linkType,
                            originalLength: original, interface: index,
                            data: UnsafeRawBufferPointer(start: p + 28, count: captured)))
    }

    /// SPB: original length, then as much of the packet as the block holds
    /// (at most interface 0's snap length); no interface id, no time stamp.
    private mutating func simplePacket(_ p: UnsafeRawPointer, length: Int, number: Int, start: Int,
                                       warnings: inout [String]) -> BlockResult {
        guard let iface = interfaces.first else {
            return .damaged(offset: start, detail: "frame \(number) is a simple packet block, but section \(section) describes no interface")
        }
        let original = Int(order.u32(p, 8))
        var captured = min(original, length - 16)
        if iface.snapLength > 0 { captured = min(captured, iface.snapLength) }
        captured = min(captured, iface.maxCaptured)
        if !warnedNoTime {
            warnedNoTime = true
            warnings.append("frame \(number) is a simple packet block, which records no time: such frames are given time 0 (1970-01-01)")
        }
        return .frame(Frame(number: number, timestampNanos: 0, linkType: iface.linkType, originalLength: original,
                            interface: 0, data: UnsafeRawBufferPointer(start: p + 12, count: captured)))
    }

    /// IDB: link type u16, reserved u16, snap length u32, then options.
    private mutating func interface(_ p: UnsafeRawPointer, length: Int, warnings: inout [String]) -> BlockResult {
        let index = interfaces.count
        let link = LinkType(rawValue: UInt32(order.u16(p, 8)))
        let snap = Int(order.u32(p, 12))
        var resolution: UInt8 = 6
        var offsetSeconds: Int64 = 0
        var at = 16
        let end = length - 4
        while at + 4 <= end {
            let code = order.u16(p, at), size = Int(order.u16(p, at + 2))
            let padded = (size + 3) & ~3
            guard at + 4 + padded <= end else {
                warnings.append("interface \(index) of section \(section) has an option running past its block; its remaining options were ignored")
                break
            }
            if code == 0 { break }
            if code == 9, size == 1 { resolution = p.load(fromByteOffset: at + 4, as: UInt8.self) }
            if code == 14, size == 8 { offsetSeconds = Int64(bitPattern: order.u64(p, at + 4)) }
            at += 4 + padded
        }
        var clock = TickClock(resolution: resolution, offsetSeconds: offsetSeconds)
        if clock == nil {
            let r = resolution & 0x80 != 0 ? "2^-\(resolution & 0x7F)" : "10^-\(resolution)"
            warnings.append("interface \(index) of section \(section) has a time resolution of \(r) seconds, which no clock has; its times are read as microseconds")
            clock = TickClock(resolution: 6, offsetSeconds: offsetSeconds)
        }
        let maxCaptured = CaptureLimits.maxCapturedLength(link)
        maxBlock = max(maxBlock, CaptureLimits.maxBlock(forFrame: maxCaptured))
        interfaces.append(PcapNGInterface(linkType: link, snapLength: snap, maxCaptured: maxCaptured, clock: clock ?? .microseconds))
        return .skipped
    }

    static func isPacket(_ type: UInt32) -> Bool {
        type == epbType || type == spbType || type == pbType
    }

    /// Block header and trailer plus each type's fixed fields.
    static func minimumLength(_ type: UInt32) -> Int {
        switch type {
        case shbType: return shbMinimum
        case idbType: return 20
        case epbType, pbType: return 32
        case spbType: return 16
        default: return 12
        }
    }

    /// With its article: "an enhanced packet block".
    static func named(_ type: UInt32) -> String {
        let n = name(type)
        return (n.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + n
    }

    static func name(_ type: UInt32) -> String {
        switch type {
        case shbType: return "section header block"
        case idbType: return "interface description block"
        case pbType: return "packet block"
        case spbType: return "simple packet block"
        case 4: return "name resolution block"
        case 5: return "interface statistics block"
        case epbType: return "enhanced packet block"
        case 0x0A: return "decryption secrets block"
        default: return "block of type 0x\(String(type, radix: 16))"
        }
    }
}
