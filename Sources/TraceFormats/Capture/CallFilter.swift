import SIPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which SIP messages a diagnosis of some calls needs from a big capture:
/// theirs, and those of any call that may be another leg of them. Leg
/// ties (Diagnosis' `LegTier`) go by the Call-ID's local part, by
/// correlation headers that quote a Call-ID, and by an INVITE carrying the
/// same numbers moments later; so a message is kept when its Call-ID is
/// wanted, when its bytes quote a wanted Call-ID or local part, or when
/// it is a dialog-creating INVITE sent within the window around the
/// call's own INVITEs. The window and the legs found are only known after
/// a pass, so `agentctl` reads again until they stop changing
/// (`CommandTrace.load`); each pass is a scan at gigabytes a second.
struct CallFilter: Sendable {
    let ids: Set<String>
    /// Nanoseconds since the epoch; nil keeps no foreign INVITE.
    let inviteWindow: ClosedRange<Int64>?
    /// The wanted Call-IDs and their local parts (8 or more characters,
    /// as LegTier requires), as bytes to search for.
    let needles: [[UInt8]]

    init(_ ids: Set<String>, inviteWindow: ClosedRange<Double>?) {
        self.ids = ids
        self.inviteWindow = inviteWindow.map { Int64($0.lowerBound * 1e9)...Int64($0.upperBound * 1e9) }
        var n = Set<String>()
        for id in ids {
            n.insert(id)
            if let at = id.firstIndex(of: "@"), id.distance(from: id.startIndex, to: at) >= 8 { n.insert(String(id[..<at])) }
        }
        needles = n.sorted().map { Array($0.utf8) }
    }

    /// Whether a SIP message may be kept, asked of its raw bytes before
    /// any parse: its bytes hold a wanted Call-ID or local part (as grep
    /// finds them, with `memmem`), or it is an INVITE without a To tag
    /// sent inside the window. A candidate is only that: `keeps` decides
    /// on the parsed message (a hit on `abc@h` inside `abc@host` is a
    /// candidate). What is not a candidate `keeps` would refuse, so the
    /// scanner never parses it.
    func isCandidate(_ bytes: UnsafeBufferPointer<UInt8>, timestampNanos: Int64) -> Bool {
        if needles.contains(where: { Self.contains(bytes, $0) }) { return true }
        if let w = inviteWindow, w.contains(timestampNanos), SIPHeaderScan.mayCreateDialog(bytes) { return true }
        return false
    }

    func keeps(_ m: SIPMessage, _ bytes: UnsafeBufferPointer<UInt8>, timestampNanos: Int64) -> Bool {
        if let id = m.callID, ids.contains(id) { return true }
        if let w = inviteWindow, w.contains(timestampNanos), m.method == "INVITE", m.to?.tag == nil { return true }
        return needles.contains { Self.contains(bytes, $0) }
    }

    /// `memmem`, which Glibc's Swift module does not export: `memchr`
    /// jumps to each occurrence of the needle's first byte, `memcmp`
    /// checks the rest there.
    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let base = hay.baseAddress, let first = needle.first, needle.count <= hay.count else { return false }
        return needle.withUnsafeBytes { n -> Bool in
            let last = hay.count - needle.count
            var i = 0
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return false }
                let at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if memcmp(hit, n.baseAddress!, n.count) == 0 { return true }
                i = at + 1
            }
            return false
        }
    }
}
