/// Writes a pcapng file: sections, interfaces with their own link types,
/// snap lengths and clocks, and Enhanced or Simple Packet Blocks. Tests use
/// the rarer shapes (big-endian sections, power-of-2 clocks, obsolete
/// Packet Blocks, arbitrary blocks) to check the reader against them.
public struct PcapNGWriter {
    /// An Interface Description Block.
    public struct Interface: Sendable, Hashable {
        public var linkType: LinkType
        /// 0 means no limit.
        public var snapLength: Int
        public var resolution: TimestampResolution
        /// if_tsoffset: seconds the reader adds to every time stamp.
        public var offsetSeconds: Int64
        public var name: String?

        public init(linkType: LinkType, snapLength: Int = 262_144, resolution: TimestampResolution = .microseconds,
                    offsetSeconds: Int64 = 0, name: String? = nil) {
            self.linkType = linkType
            self.snapLength = snapLength
            self.resolution = resolution
            self.offsetSeconds = offsetSeconds
            self.name = name
        }
    }

    /// if_tsresol: ticks of 10^-k or 2^-k seconds.
    public enum TimestampResolution: Sendable, Hashable {
        case decimal(UInt8)
        case binary(UInt8)

        public static let microseconds = TimestampResolution.decimal(6)
        public static let nanoseconds = TimestampResolution.decimal(9)

        var optionByte: UInt8 {
            switch self {
            case .decimal(let k): return k & 0x7F
            case .binary(let k): return 0x80 | (k & 0x7F)
            }
        }
    }

    public let sink: CaptureSink
    /// The current section's byte order.
    public private(set) var byteOrder: CaptureByteOrder
    /// The current section's interfaces, by index.
    public private(set) var interfaces: [Interface] = []

    /// Writes the first Section Header Block.
    public init(sink: CaptureSink = .memory(), byteOrder: CaptureByteOrder = .littleEndian) throws(CaptureError) {
        self.sink = sink
        self.byteOrder = byteOrder
        try writeSectionHeader()
    }

    public static func create(path: String) throws(CaptureError) -> PcapNGWriter {
        try PcapNGWriter(sink: .file(path: path))
    }

    public var bytes: [UInt8] { sink.bytes }

    /// A new section: its interfaces start again from 0.
    public mutating func startSection(byteOrder: CaptureByteOrder? = nil) throws(CaptureError) {
        if let byteOrder { self.byteOrder = byteOrder }
        interfaces = []
        try writeSectionHeader()
    }

    /// Writes an IDB and returns the interface's index.
    @discardableResult
    public mutating func addInterface(_ interface: Interface) throws(CaptureError) -> Int {
        var options: [UInt8] = []
        if let name = interface.name { appendOption(&options, code: 2, value: Array(name.utf8)) }
        if interface.resolution != .microseconds { appendOption(&options, code: 9, value: [interface.resolution.optionByte]) }
        if interface.offsetSeconds != 0 {
            var v = byteOrder == .littleEndian ? UInt64(bitPattern: interface.offsetSeconds).littleEndian : UInt64(bitPattern: interface.offsetSeconds).bigEndian
            appendOption(&options, code: 14, value: withUnsafeBytes(of: &v) { Array($0) })
        }
        if !options.isEmpty { appendOption(&options, code: 0, value: []) }
        try blockStart(type: PcapNGParser.idbType, bodyLength: 8 + options.count)
        try sink.append(UInt16(truncatingIfNeeded: interface.linkType.rawValue), byteOrder)
        try sink.append(UInt16(0), byteOrder)
        try sink.append(UInt32(clamping: interface.snapLength), byteOrder)
        try sink.append(options)
        try blockEnd(bodyLength: 8 + options.count)
        interfaces.append(interface)
        return interfaces.count - 1
    }

    /// An Enhanced Packet Block on `interface`, cut to its snap length.
    public func append(interface: Int = 0, timestampNanos: Int64, data: UnsafeRawBufferPointer, originalLength: Int? = nil) throws(CaptureError) {
        try packet(type: PcapNGParser.epbType, interface: interface, timestampNanos: timestampNanos, data: data, originalLength: originalLength)
    }

    public func append(interface: Int = 0, timestampNanos: Int64, data: [UInt8], originalLength: Int? = nil) throws(CaptureError) {
        try withRawBytes(data) { raw throws(CaptureError) in
            try append(interface: interface, timestampNanos: timestampNanos, data: raw, originalLength: originalLength)
        }
    }

    /// The obsolete Packet Block (type 2), which old Wireshark versions wrote.
    public func appendObsoletePacket(interface: Int = 0, timestampNanos: Int64, data: [UInt8], originalLength: Int? = nil) throws(CaptureError) {
        try withRawBytes(data) { raw throws(CaptureError) in
            try packet(type: PcapNGParser.pbType, interface: interface, timestampNanos: timestampNanos, data: raw, originalLength: originalLength)
        }
    }

    /// A Simple Packet Block: interface 0, no time, cut to interface 0's
    /// snap length. The block has no captured length (readers take the
    /// smaller of the original length and the snap length), so
    /// `originalLength` is kept only when the snap length cut the data.
    public func appendSimple(data: [UInt8], originalLength: Int? = nil) throws(CaptureError) {
        let snap = interfaces.first.map { $0.snapLength > 0 ? $0.snapLength : Int.max } ?? Int.max
        let captured = min(data.count, snap)
        let original = captured < snap ? captured : max(originalLength ?? data.count, captured)
        try blockStart(type: PcapNGParser.spbType, bodyLength: 4 + captured)
        try sink.append(UInt32(clamping: original), byteOrder)
        try withRawBytes(data) { raw throws(CaptureError) in try sink.append(UnsafeRawBufferPointer(rebasing: raw[0..<captured])) }
        try blockEnd(bodyLength: 4 + captured)
    }

    /// Any block, its body as given (padded): name resolution, statistics,
    /// custom blocks, or nonsense for the reader's tests.
    public func appendBlock(type: UInt32, body: [UInt8]) throws(CaptureError) {
        try blockStart(type: type, bodyLength: body.count)
        try sink.append(body)
        try blockEnd(bodyLength: body.count)
    }

    public func finish() throws(CaptureError) {
        try sink.finish()
    }

    private func packet(type: UInt32, interface: Int, timestampNanos: Int64, data: UnsafeRawBufferPointer, originalLength: Int?) throws(CaptureError) {
        let iface = interface < interfaces.count ? interfaces[interface] : Interface(linkType: .ethernet)
        let captured = iface.snapLength > 0 ? min(data.count, iface.snapLength) : data.count
        let ticks = Self.ticks(timestampNanos, iface)
        try blockStart(type: type, bodyLength: 20 + captured)
        if type == PcapNGParser.pbType {
            try sink.append(UInt16(truncatingIfNeeded: interface), byteOrder)
            try sink.append(UInt16(0), byteOrder) // drops
        } else {
            try sink.append(UInt32(truncatingIfNeeded: interface), byteOrder)
        }
        try sink.append(UInt32(truncatingIfNeeded: ticks >> 32), byteOrder)
        try sink.append(UInt32(truncatingIfNeeded: ticks), byteOrder)
        try sink.append(UInt32(captured), byteOrder)
        try sink.append(UInt32(clamping: max(originalLength ?? data.count, captured)), byteOrder)
        try sink.append(UnsafeRawBufferPointer(rebasing: data[0..<captured]))
        try blockEnd(bodyLength: 20 + captured)
    }

    /// Nanoseconds to the interface's ticks; rounds a binary fraction up so
    /// the reader, which rounds down, gets back the nearest tick at or after.
    static func ticks(_ nanos: Int64, _ iface: Interface) -> UInt64 {
        let shifted = nanos.subtractingReportingOverflow(iface.offsetSeconds &* 1_000_000_000).partialValue
        let n = UInt64(max(shifted, 0))
        switch iface.resolution {
        case .decimal(let k):
            var p: UInt64 = 1
            for _ in 0..<(k <= 9 ? 9 - Int(k) : min(Int(k) - 9, 10)) { p *= 10 }
            return k <= 9 ? n / p : n.multipliedReportingOverflow(by: p).partialValue
        case .binary(let k):
            let shift = UInt64(min(k, 63))
            let seconds = n / 1_000_000_000, fraction = n % 1_000_000_000
            let (high, low) = fraction.multipliedFullWidth(by: 1 << shift)
            let (roundedLow, carry) = low.addingReportingOverflow(999_999_999)
            let ticks = UInt64(1_000_000_000).dividingFullWidth((high + (carry ? 1 : 0), roundedLow)).quotient
            return (seconds << shift) &+ ticks
        }
    }

    private func writeSectionHeader() throws(CaptureError) {
        try blockStart(type: PcapNGParser.shbType, bodyLength: 16)
        try sink.append(UInt32(0x1A2B_3C4D), byteOrder)
        try sink.append(UInt16(1), byteOrder)
        try sink.append(UInt16(0), byteOrder)
        try sink.append(UInt64.max, byteOrder) // section length unknown
        try blockEnd(bodyLength: 16)
    }

    private func blockStart(type: UInt32, bodyLength: Int) throws(CaptureError) {
        try sink.append(type, byteOrder)
        try sink.append(UInt32(12 + ((bodyLength + 3) & ~3)), byteOrder)
    }

    private func blockEnd(bodyLength: Int) throws(CaptureError) {
        let padding = (4 - bodyLength % 4) % 4
        try sink.appendZeros(padding)
        try sink.append(UInt32(12 + bodyLength + padding), byteOrder)
    }

    private func appendOption(_ options: inout [UInt8], code: UInt16, value: [UInt8]) {
        func put16(_ v: UInt16) {
            let b = byteOrder == .littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)]
            options.append(contentsOf: b)
        }
        put16(code)
        put16(UInt16(value.count))
        options.append(contentsOf: value)
        options.append(contentsOf: [UInt8](repeating: 0, count: (4 - value.count % 4) % 4))
    }
}
