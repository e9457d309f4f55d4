import SIPCore

/// The dialog-creating INVITEs a filtered read passed by near the call's
/// own, held as raw bytes, so that the leg tie's window (the call's
/// INVITEs widened by `LegTier.numberWindow`) can be applied after the
/// pass instead of by a second read of the whole file.
///
/// A read for some calls does not know the window until it has found
/// them and their legs are tied; before this, `CallTraceLoader` read the
/// file again with the window. Now the scan holds every INVITE without a
/// To tag (`SIPHeaderScan.mayCreateDialog`, no parse) of the last
/// `margin` seconds and all of those within `margin` of a kept
/// dialog-creating INVITE; older ones are let go. `admitted(into:window:)`
/// then gives the trace the second read would have given, or nil when it
/// cannot be sure to (a let-go INVITE lies in the window, a held one does
/// not parse, the capture's RTP could be named differently): the caller
/// then reads again, as before.
///
/// Memory: the INVITEs of `margin` seconds plus a little, a few MB at a
/// thousand calls a second, and those near the call's own; never more
/// than `maxHeldBytes`: past it (a Call-ID reused all day long spans the
/// day) everything is let go and the caller reads again.
public struct HeldInvites: Sendable {
    /// Where an INVITE passed by lies in the capture: what its
    /// `CapturedMessage` is made of besides the parsed message, kept raw
    /// (addresses become strings only for the INVITEs let in).
    struct Place: Sendable {
        var index: Int
        var flow: FlowKey
        var transport: TransportPayload.Transport
        var frames: FrameSpan

        func message(_ m: SIPMessage, nanos: Int64) -> CapturedMessage {
            CapturedMessage(index: index, timestamp: Double(nanos) / 1e9, source: flow.source.endpoint,
                            destination: flow.destination.endpoint, transport: transport.rawValue,
                            message: m, line: 0, frames: frames.numbers)
        }
    }

    struct Entry: Sendable {
        var bytes: [UInt8]
        var nanos: Int64
        var place: Place
    }

    /// Cap on the bytes held; past it nothing is held any more.
    static let maxHeldBytes = 32 << 20

    /// Nanoseconds around a kept INVITE, and of the recent past, to hold.
    let margin: Int64
    /// A let-go INVITE is older than the latest time by this much more
    /// than `margin`, so out-of-order times of a few packets are absorbed.
    private static let slack: Int64 = 2_000_000_000

    private var recent: [Entry] = []
    private var head = 0
    private var nearCall: [Entry] = []
    private var heldBytes = 0
    private var latest = Int64.min
    /// Span of the kept (wanted) dialog-creating INVITEs.
    private var span: ClosedRange<Int64>?
    /// The times of the INVITEs let go, as the earliest and latest of each
    /// second: enough to tell whether one lies in a window of seconds.
    private var letGo: [Int64: ClosedRange<Int64>] = [:]
    /// Set when applying the window later could give another trace than a
    /// second read (see `spoil`).
    private(set) var spoiled = false

    public init(margin seconds: Double) {
        margin = CallFilter.nanos(max(0, seconds)) ?? 0
    }

    /// True when the read went wrong for holding: a second read is needed.
    mutating func spoil() {
        spoiled = true
        recent = []
        nearCall = []
        head = 0
        heldBytes = 0
    }

    /// A dialog-creating INVITE the read kept (the call's own): those near
    /// it in time are held for good.
    mutating func keptInvite(at nanos: Int64) {
        span = span.map { min($0.lowerBound, nanos)...max($0.upperBound, nanos) } ?? nanos...nanos
        see(nanos)
    }

    /// A dialog-creating INVITE the read did not keep.
    mutating func hold(_ bytes: UnsafeBufferPointer<UInt8>, nanos: Int64, place: Place) {
        guard !spoiled else { return }
        see(nanos)
        recent.append(Entry(bytes: Array(bytes), nanos: nanos, place: place))
        heldBytes += bytes.count
        letGoOld()
        if heldBytes > Self.maxHeldBytes { spoil() }
    }

    /// Any message's time moves the recent past on.
    @inline(__always)
    mutating func see(_ nanos: Int64) {
        if nanos > latest { latest = nanos }
    }

    private func nearSpan(_ t: Int64) -> Bool {
        guard let span else { return false }
        return t >= span.lowerBound &- margin && t <= span.upperBound &+ margin
    }

    private mutating func letGoOld() {
        let horizon = latest &- margin &- Self.slack
        while head < recent.count {
            let e = recent[head]
            if nearSpan(e.nanos) {
                nearCall.append(e)
            } else if e.nanos < horizon {
                heldBytes -= e.bytes.count
                let second = e.nanos / 1_000_000_000
                letGo[second] = letGo[second].map { min($0.lowerBound, e.nanos)...max($0.upperBound, e.nanos) } ?? e.nanos...e.nanos
            } else {
                break
            }
            recent[head] = Entry(bytes: [], nanos: 0, place: e.place)
            head += 1
        }
        if head > 4096, head * 2 > recent.count {
            recent.removeFirst(head)
            head = 0
        }
    }

    /// `trace`, a filtered read that held these INVITEs, as a read with
    /// `window` (seconds, `CaptureLoader.Options.inviteWindow`) would have
    /// given it: the held dialog-creating INVITEs sent in the window, parsed
    /// and put in their places. Nil when that is not certain; read again.
    public func admitted(into trace: Trace, window: ClosedRange<Double>) -> Trace? {
        guard !spoiled, let lo = CallFilter.nanos(window.lowerBound), let hi = CallFilter.nanos(window.upperBound) else { return nil }
        for r in letGo.values where r.upperBound >= lo && r.lowerBound <= hi { return nil }
        var added: [CapturedMessage] = []
        for e in nearCall + recent[head...] where e.nanos >= lo && e.nanos <= hi {
            // The second read would parse it and, if it failed, number the
            // messages after it differently: leave that to a read.
            guard let m = try? SIPParser.parse(e.bytes) else { return nil }
            guard m.method == "INVITE", m.to?.tag == nil else { continue }
            added.append(e.place.message(m, nanos: e.nanos))
        }
        var out = trace
        guard !added.isEmpty else { return out }
        out.messages = (trace.messages + added).sorted { $0.index < $1.index }
        return out
    }
}
