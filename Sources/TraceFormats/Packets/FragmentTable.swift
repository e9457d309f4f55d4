/// IP fragments waiting for the rest of their datagram (IPv4 and IPv6).
///
/// Bounded three ways, because a capture may hold a fragment flood or
/// fragments whose partners were never captured: at most
/// `maxPendingDatagrams` datagrams, `maxPendingFragmentBytes` bytes in
/// all, each datagram at most `maxDatagramBytes`; and a datagram not
/// completed within `fragmentTimeoutNanos` of capture time (30 s, the
/// RFC 8200 4.5 reassembly timeout; Linux's ipfrag_time is also 30 s) is
/// dropped. The oldest datagram goes first when a bound is hit.
struct FragmentTable {
    struct Key: Hashable {
        var source: NetAddress
        var destination: NetAddress
        var identification: UInt32
        /// IPv4 keys on the protocol too (RFC 791); IPv6 leaves it 0 (RFC 8200 4.5).
        var proto: UInt8
    }

    /// A datagram whose fragments all arrived.
    struct Whole {
        var bytes: [UInt8]
        var frames: [Int]
        var proto: UInt8
    }

    fileprivate struct Pending {
        var bytes: [UInt8] = []
        /// Byte ranges received so far: sorted, disjoint, merged.
        var have: [Range<Int>] = []
        var total: Int?
        var frames: [Int] = []
        var proto: UInt8
        var firstSeen: Int64
        var serial: Int
    }

    private var pending: [Key: Pending] = [:]
    /// Keys in arrival order, for dropping the oldest in O(1); entries whose
    /// datagram completed stay until they reach the front (stale serial).
    private var order: [(key: Key, serial: Int)] = []
    private var orderHead = 0
    private var nextSerial = 0
    private var heldBytes = 0

    var isEmpty: Bool { pending.isEmpty }

    /// Adds one fragment; returns the datagram when this fragment completes it.
    mutating func add(_ key: Key, _ fragment: IPPacket.Fragment, data: UnsafeRawBufferPointer, proto: UInt8,
                      frame: Int, time: Int64, limits: PacketDecoder.Limits, log: inout PacketLog) -> Whole? {
        expire(before: time - limits.fragmentTimeoutNanos, frame: frame, log: &log)
        let start = fragment.offset, end = fragment.offset + data.count
        guard end <= limits.maxDatagramBytes else {
            if pending[key] != nil { drop(key) }
            log.note(.fragmentTooLarge, frame: frame)
            return nil
        }
        if pending[key] == nil {
            while pending.count >= max(1, limits.maxPendingDatagrams) {
                dropOldest(reason: .fragmentTableFull, frame: frame, log: &log)
            }
            pending[key] = Pending(proto: proto, firstSeen: time, serial: nextSerial)
            order.append((key, nextSerial))
            nextSerial += 1
        }
        var overlapped = false
        let grown = pending[key]!.bytes.count
        pending[key]!.insert(data, at: start, more: fragment.more, proto: proto, frame: frame, overlapped: &overlapped)
        heldBytes += pending[key]!.bytes.count - grown
        if overlapped { log.note(.fragmentOverlap, frame: frame) }
        if let entry = pending[key], let total = entry.total, entry.have.count == 1, entry.have[0] == 0..<total {
            drop(key)
            var bytes = entry.bytes
            if bytes.count > total { bytes.removeLast(bytes.count - total) }
            return Whole(bytes: bytes, frames: entry.frames, proto: entry.proto)
        }
        while heldBytes > limits.maxPendingFragmentBytes, pending.count > 1 {
            dropOldest(reason: .fragmentTableFull, frame: frame, log: &log)
        }
        return nil
    }

    /// Drops every datagram still waiting: the capture ended without its
    /// missing fragments.
    mutating func finish(frame: Int, log: inout PacketLog) {
        // Oldest first, so the warning names the earliest lost datagram's frame.
        for (key, serial) in order[orderHead...] {
            if let entry = pending[key], entry.serial == serial {
                log.note(.fragmentsIncomplete, frame: entry.frames.first ?? frame)
            }
        }
        pending = [:]
        order = []
        orderHead = 0
        heldBytes = 0
    }

    /// Datagrams first seen before `cutoff` (capture time) are given up.
    private mutating func expire(before cutoff: Int64, frame: Int, log: inout PacketLog) {
        while let (key, serial) = oldest() {
            guard let entry = pending[key], entry.serial == serial else { orderHead += 1; continue }
            guard entry.firstSeen < cutoff else { break }
            dropOldest(reason: .fragmentsIncomplete, frame: frame, log: &log)
        }
        compactOrder()
    }

    private func oldest() -> (Key, Int)? {
        orderHead < order.count ? (order[orderHead].key, order[orderHead].serial) : nil
    }

    private mutating func dropOldest(reason: PacketIssue, frame: Int, log: inout PacketLog) {
        while let (key, serial) = oldest() {
            orderHead += 1
            if let entry = pending[key], entry.serial == serial {
                drop(key)
                log.note(reason, frame: entry.frames.first ?? frame)
                return
            }
        }
    }

    private mutating func drop(_ key: Key) {
        if let entry = pending.removeValue(forKey: key) { heldBytes -= entry.bytes.count }
    }

    private mutating func compactOrder() {
        guard orderHead > 64, orderHead * 2 > order.count else { return }
        order.removeFirst(orderHead)
        orderHead = 0
    }
}

extension FragmentTable.Pending {
    /// Copies the bytes not received yet; where a fragment overlaps bytes
    /// already held, the first copy wins (as Wireshark's reassembly keeps
    /// it) and a differing overlap is reported.
    mutating func insert(_ data: UnsafeRawBufferPointer, at start: Int, more: Bool, proto: UInt8, frame: Int, overlapped: inout Bool) {
        let end = start + data.count
        if !more {
            if let t = total, t != end { overlapped = true } else { total = end }
        }
        // RFC 8200 4.5: only the offset-0 fragment's Next Header counts.
        if start == 0 { self.proto = proto }
        if frames.last != frame { frames.append(frame) }
        guard end > start else { return }
        if bytes.count < end { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
        var cursor = start
        var merged: [Range<Int>] = []
        merged.reserveCapacity(have.count + 1)
        for r in have {
            if r.upperBound <= start || r.lowerBound >= end { continue }
            if cursor < r.lowerBound { copy(data, from: cursor, to: r.lowerBound, start: start) }
            if !same(data, r.clamped(to: start..<end), start: start) { overlapped = true }
            cursor = max(cursor, r.upperBound)
        }
        if cursor < end { copy(data, from: cursor, to: end, start: start) }
        var new = start..<end
        for r in have {
            if r.upperBound < new.lowerBound || r.lowerBound > new.upperBound {
                merged.append(r)
            } else {
                new = min(r.lowerBound, new.lowerBound)..<max(r.upperBound, new.upperBound)
            }
        }
        merged.append(new)
        merged.sort { $0.lowerBound < $1.lowerBound }
        have = merged
    }

    private mutating func copy(_ data: UnsafeRawBufferPointer, from: Int, to: Int, start: Int) {
        bytes.withUnsafeMutableBytes { dst in
            dst.baseAddress!.advanced(by: from).copyMemory(from: data.baseAddress!.advanced(by: from - start), byteCount: to - from)
        }
    }

    private func same(_ data: UnsafeRawBufferPointer, _ r: Range<Int>, start: Int) -> Bool {
        for i in r where bytes[i] != data[i - start] { return false }
        return true
    }
}
