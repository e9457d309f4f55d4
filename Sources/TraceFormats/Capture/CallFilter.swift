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
/// (Engine's `CallTraceLoader`); each pass is a scan at gigabytes a second.
public struct CallFilter: Sendable {
    let ids: Set<String>
    /// Nanoseconds since the epoch; nil keeps no foreign INVITE.
    let inviteWindow: ClosedRange<Int64>?
    /// The wanted Call-IDs and their local parts (8 or more characters,
    /// as LegTier requires), then the correlation values the call's own
    /// messages carry (`learn`), as bytes to search for.
    private(set) var needles: [Needle]
    private var known: Set<String>
    /// A text read lists the Call-IDs of the messages it skips as it goes
    /// (`Trace.skippedCallIDs`) unless this is false
    /// (`CaptureLoader.Options.listsSkippedCallIDs`).
    var listsSkipped = true

    public init(_ ids: Set<String>, inviteWindow: ClosedRange<Double>?) {
        self.ids = ids
        // The window comes from the capture's own times, widened by a
        // margin: converted only when finite and in range, never trapping.
        self.inviteWindow = inviteWindow.flatMap { w in
            guard let lo = Self.nanos(w.lowerBound), let hi = Self.nanos(w.upperBound) else { return nil }
            return lo...hi
        }
        var locals = Set<String>()
        for id in ids {
            if let at = id.firstIndex(of: "@"), id.distance(from: id.startIndex, to: at) >= 8 { locals.insert(String(id[..<at])) }
        }
        known = ids
        needles = ids.sorted().map { id in
            var n = Needle(Array(id.utf8), localPart: false)
            n.coveredByLocalPart = id.firstIndex(of: "@").map { locals.contains(String(id[..<$0])) } ?? false
            return n
        } + locals.sorted().map { Needle(Array($0.utf8), localPart: true) }
    }

    /// Text to find, and how a hit must end: a whole value (a Call-ID,
    /// a correlation value) is not followed by more of a Call-ID's
    /// characters, a local part is followed by `@`. So `abc@h` is not found
    /// in `abc@host`, nor the local part `stream-700` in `stream-7000@h`:
    /// a hit is confirmed where it is one, not merely a substring.
    struct Needle: Sendable {
        var bytes: [UInt8]
        var localPart: Bool
        /// The two bytes the search compares first: the one SIP text holds
        /// least of (`@` or `-` rather than a hex digit), and the next
        /// rarest elsewhere in the needle (the same one for a needle of a
        /// byte), so that few places pass both.
        var anchor: Int
        var second: Int
        /// A Call-ID whose local part is a needle too: wherever it is, its
        /// local part is (followed by `@`), so a search for the local part
        /// answers for both.
        var coveredByLocalPart = false

        init(_ bytes: [UInt8], localPart: Bool) {
            self.bytes = bytes
            self.localPart = localPart
            let byRarity = bytes.indices.sorted { (Self.commonness(bytes[$0]), $0) < (Self.commonness(bytes[$1]), $1) }
            anchor = byRarity.first ?? 0
            second = byRarity.dropFirst().first ?? anchor
        }

        /// How often a byte turns up in SIP headers, roughly: letters and
        /// digits everywhere, `.` in every address, `-` and `@` a few times
        /// a message, the rest seldom.
        static func commonness(_ b: UInt8) -> Int {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"): return 8
            case UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="): return 7
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return 5
            case UInt8(ascii: "-"): return 4
            case UInt8(ascii: "@"): return 3
            default: return 1
            }
        }
    }

    /// Seconds to nanoseconds, nil for a time no capture or trace can
    /// hold (a hostile heading must not trap the conversion).
    static func nanos(_ seconds: Double) -> Int64? {
        guard seconds.isFinite, abs(seconds) < 9e9 else { return nil }
        return Int64(seconds * 1e9)
    }

    /// A leg may name the other by a correlation header that only one side
    /// carries (the B leg's `X-Call-ID: A`), or both may share a session
    /// value (RFC 7989 Session-ID, P-Charging-Vector icid-value): LegTier
    /// ties on both. The values the call's own messages carry become
    /// needles for the rest of the pass, so that the legs they name are
    /// kept; the next pass then asks for those legs by Call-ID.
    mutating func learn(_ m: SIPMessage) {
        guard let id = m.callID, ids.contains(id) else { return }
        var values: [String] = []
        for name in ["X-Call-ID", "X-Orig-Call-ID", "X-Original-Call-ID"] {
            if let v = m[name]?.trimmingSpaces() { values.append(v) }
        }
        if let v = m["Session-ID"]?.prefix(while: { $0 != ";" }).trimmingCharacters() { values.append(v) }
        if let pcv = m["P-Charging-Vector"], let icid = Parameters(Substring(pcv))["icid-value"] { values.append(icid) }
        // A value of a few characters would make every message a candidate.
        for v in values where v.utf8.count >= 6 && known.insert(v).inserted { needles.append(Needle(Array(v.utf8), localPart: false)) }
    }

    /// Whether a SIP message may be kept, asked of its raw bytes before
    /// any parse: its bytes hold a wanted Call-ID or local part (as grep
    /// finds them, with `memmem`), or it is an INVITE without a To tag
    /// sent inside the window. A candidate is only that: `keeps` decides
    /// on the parsed message (a hit on `abc@h` inside `abc@host` is a
    /// candidate). What is not a candidate `keeps` would refuse, so the
    /// scanner never parses it.
    func isCandidate(_ bytes: UnsafeBufferPointer<UInt8>, timestampNanos: Int64?) -> Bool {
        if needles.contains(where: { !$0.coveredByLocalPart && Self.contains(bytes, $0) }) { return true }
        if let w = inviteWindow, let t = timestampNanos, w.contains(t), SIPHeaderScan.mayCreateDialog(bytes) { return true }
        return false
    }

    func keeps(_ m: SIPMessage, _ bytes: UnsafeBufferPointer<UInt8>, timestampNanos: Int64?) -> Bool {
        if let id = m.callID, ids.contains(id) { return true }
        if let w = inviteWindow, let t = timestampNanos, w.contains(t), m.method == "INVITE", m.to?.tag == nil { return true }
        return needles.contains { Self.contains(bytes, $0) }
    }

    /// `memmem`, which Glibc's Swift module does not export, the way
    /// grep's and the SIMD memmem of the literature do it: 16 start
    /// positions at a time, compared at two of the needle's bytes (its
    /// rarest, `anchor`, and `second`), and only where both match, the whole
    /// needle with `memcmp` and the bytes around it to confirm the hit.
    /// A message is about 30 such steps per needle, without a call per
    /// occurrence of a common byte, as a `memchr` loop makes.
    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: Needle) -> Bool {
        firstHit(hay, needle, from: 0) != nil
    }

    /// Where the first hit of `needle` at or after `from` starts, nil when
    /// there is none; `contains` is this from 0. A text read searches a
    /// whole chunk with it once, not every message (`NeedleHits`).
    static func firstHit(_ hay: UnsafeBufferPointer<UInt8>, _ needle: Needle, from: Int) -> Int? {
        guard let base = hay.baseAddress, !needle.bytes.isEmpty, needle.bytes.count <= hay.count, from >= 0 else { return nil }
        let k1 = needle.anchor, k2 = needle.second
        let c1 = needle.bytes[k1], c2 = needle.bytes[k2]
        let last = hay.count - needle.bytes.count
        let raw = UnsafeRawPointer(base)
        var i = from
        let v1 = SIMD16<UInt8>(repeating: c1), v2 = SIMD16<UInt8>(repeating: c2)
        // Starts i...i+15 all lie at or before `last`, so both loads stay
        // inside the haystack.
        while i + 15 <= last {
            let a = raw.loadUnaligned(fromByteOffset: i + k1, as: SIMD16<UInt8>.self)
            let b = raw.loadUnaligned(fromByteOffset: i + k2, as: SIMD16<UInt8>.self)
            var m = LaneBits((a .== v1) .& (b .== v2))
            while let j = m.first {
                if confirmed(hay, needle, at: i + j) { return i + j }
                m = m.removingFirst()
            }
            i += 16
        }
        while i <= last {
            if hay[i + k1] == c1, hay[i + k2] == c2, confirmed(hay, needle, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// The whole needle at `at`, as a whole value or a local part.
    @inline(__always)
    private static func confirmed(_ hay: UnsafeBufferPointer<UInt8>, _ needle: Needle, at: Int) -> Bool {
        let n = needle.bytes.count
        guard needle.bytes.withUnsafeBytes({ memcmp(hay.baseAddress! + at, $0.baseAddress!, n) }) == 0,
              at == 0 || !isCallIDByte(hay[at - 1]) else { return false }
        let end = at + n
        return needle.localPart ? (end < hay.count && hay[end] == UInt8(ascii: "@")) : (end == hay.count || !isCallIDByte(hay[end]))
    }

    /// Bytes a Call-ID is made of (RFC 3261 `word` and `@`) less those
    /// that delimit it where headers quote one (`<`, `>`, `"`, `:`, `;`,
    /// `,`, `=`, blanks and line ends).
    @inline(__always)
    static func isCallIDByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "%"), UInt8(ascii: "*"), UInt8(ascii: "_"),
             UInt8(ascii: "+"), UInt8(ascii: "`"), UInt8(ascii: "'"), UInt8(ascii: "~"), UInt8(ascii: "@"), UInt8(ascii: "/"),
             UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "("), UInt8(ascii: ")"):
            return true
        default: return false
        }
    }
}
