import SIPCore

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
        // The window comes from the capture's own times, widened by a
        // margin: converted with saturation, never trapping at the edges.
        self.inviteWindow = inviteWindow.flatMap { w in
            guard let lo = Int64(saturating: w.lowerBound * 1e9), let hi = Int64(saturating: w.upperBound * 1e9), lo <= hi else { return nil }
            return lo...hi
        }
        var n = Set<String>()
        for id in ids {
            n.insert(id)
            if let at = id.firstIndex(of: "@"), id.distance(from: id.startIndex, to: at) >= 8 { n.insert(String(id[..<at])) }
        }
        needles = n.sorted().map { Array($0.utf8) }
    }

    func keeps(_ m: SIPMessage, _ bytes: UnsafeBufferPointer<UInt8>, timestampNanos: Int64) -> Bool {
        if let id = m.callID, ids.contains(id) { return true }
        if let w = inviteWindow, w.contains(timestampNanos), m.method == "INVITE", m.to?.tag == nil { return true }
        return needles.contains { contains(bytes, $0) }
    }

    private func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= hay.count else { return false }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < needle.count, hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
