/// One pcapng Interface Description Block, as the packet blocks that name
/// it need it: link type, snap length and how to turn its time stamp ticks
/// into nanoseconds.
struct PcapNGInterface {
    var linkType: LinkType
    /// 0 means no limit (pcapng spec, IDB SnapLen).
    var snapLength: Int
    var maxCaptured: Int
    var clock: TickClock
}

/// if_tsresol and if_tsoffset, as libpcap's add_interface reads them,
/// turned once per interface into the arithmetic each packet needs.
struct TickClock {
    private enum Scale {
        /// 10^-k with k <= 9: ticks * 10^(9-k).
        case multiply(UInt64)
        /// 10^-k with k > 9: ticks / 10^(k-9).
        case divide(UInt64)
        /// 2^-k.
        case binary(UInt64)
    }

    private var scale: Scale
    /// if_tsoffset: seconds added to every time stamp.
    private var offsetNanos: Int64

    /// The default: microseconds, no offset.
    static let microseconds = TickClock(scale: .multiply(1_000), offsetNanos: 0)

    private init(scale: Scale, offsetNanos: Int64) {
        self.scale = scale
        self.offsetNanos = offsetNanos
    }

    /// From the if_tsresol byte (high bit: power of 2, else power of 10) and
    /// if_tsoffset; nil when the resolution does not fit 64 bits (libpcap
    /// refuses 10^-k for k > 19 and 2^-k for k > 63).
    init?(resolution: UInt8, offsetSeconds: Int64) {
        let k = UInt64(resolution & 0x7F)
        if resolution & 0x80 != 0 {
            guard k <= 63 else { return nil }
            scale = .binary(k)
        } else {
            guard k <= 19 else { return nil }
            var p: UInt64 = 1
            for _ in 0..<(k <= 9 ? 9 - k : k - 9) { p *= 10 }
            scale = k <= 9 ? .multiply(p) : .divide(p)
        }
        let (ns, overflow) = offsetSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        offsetNanos = overflow ? (offsetSeconds > 0 ? Int64.max : Int64.min) : ns
    }

    /// Nanoseconds since the epoch; saturates instead of trapping on ticks
    /// no real clock produces.
    @inline(__always)
    func nanos(_ ticks: UInt64) -> Int64 {
        var ns: UInt64
        switch scale {
        case .multiply(let m):
            let (v, o) = ticks.multipliedReportingOverflow(by: m)
            ns = o ? UInt64.max : v
        case .divide(let d):
            ns = ticks / d
        case .binary(let shift):
            // Smart shifts: a shift of 64 gives 0, never a trap.
            let seconds = ticks >> shift
            let fraction = ticks &- (seconds << shift)
            let (high, low) = fraction.multipliedFullWidth(by: 1_000_000_000)
            let part = (low >> shift) | (high << (64 - shift))
            let (whole, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            let (sum, o2) = whole.addingReportingOverflow(part)
            ns = o1 || o2 ? UInt64.max : sum
        }
        let signed = ns > UInt64(Int64.max) ? Int64.max : Int64(ns)
        let (sum, o) = signed.addingReportingOverflow(offsetNanos)
        return min(max(o ? (offsetNanos > 0 ? Int64.max : Int64.min) : sum, -Self.limitNanos), Self.limitNanos)
    }

    /// Times are kept within ±2^62 ns (1824 to 2116): the difference of any
    /// two (a gap between packets, a reassembly timeout) then fits an
    /// Int64, where Int64.max minus Int64.min would trap.
    static let limitNanos: Int64 = 1 << 62 - 1
}
