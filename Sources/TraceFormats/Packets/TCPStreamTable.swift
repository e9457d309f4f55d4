/// Every TCP stream being followed, bounded in number and in bytes.
///
/// Streams live in an array of slots (so one is mutated in place) found
/// through a dictionary. When a bound is hit, one stream is evicted by the
/// clock algorithm: streams queue in the order they opened, and one that
/// carried a segment since it was last passed over gets a second turn,
/// so an idle stream goes before a busy long-lived SIP trunk.
struct TCPStreamTable {
    private var slots: [TCPStream] = []
    private var index: [FlowKey: Int] = [:]
    private var free: [Int] = []
    private var clock: [(slot: Int, serial: Int)] = []
    private var clockHead = 0
    private var nextSerial = 0
    private var heldBytes = 0

    var count: Int { index.count }

    mutating func receive(_ flow: FlowKey, _ segment: TCPSegment, data: UnsafeRawBufferPointer, frames: FrameSpan, frame: Int,
                          time: Int64, limits: PacketDecoder.Limits, log: inout PacketLog, emit: TCPStream.Emit) {
        let slot: Int
        if let known = index[flow] {
            slot = known
        } else {
            // A bare ACK, FIN or RST of a connection not followed: nothing to follow.
            guard !data.isEmpty || segment.syn, !segment.rst else { return }
            while index.count >= max(1, limits.maxStreams) {
                evictOne(sparing: nil, frame: frame, limits: limits, log: &log, emit: emit)
            }
            slot = open(flow)
        }
        let before = slots[slot].heldBytes
        slots[slot].receive(segment, data: data, frames: frames, frame: frame, time: time, limits: limits, log: &log, emit: emit)
        heldBytes += slots[slot].heldBytes - before
        while heldBytes > limits.maxTotalStreamBytes, index.count > 1 {
            evictOne(sparing: slot, frame: frame, limits: limits, log: &log, emit: emit)
        }
    }

    mutating func finish(limits: PacketDecoder.Limits, log: inout PacketLog, emit: TCPStream.Emit) {
        // In the order the streams opened, so the output does not depend on slot reuse.
        for slot in index.values.sorted(by: { slots[$0].serial < slots[$1].serial }) {
            slots[slot].finish(limits: limits, log: &log, emit: emit)
        }
        slots = []
        index = [:]
        free = []
        clock = []
        clockHead = 0
        heldBytes = 0
    }

    private mutating func open(_ flow: FlowKey) -> Int {
        let stream = TCPStream(flow: flow, serial: nextSerial)
        let slot: Int
        if let reused = free.popLast() {
            slots[reused] = stream
            slot = reused
        } else {
            slots.append(stream)
            slot = slots.count - 1
        }
        index[flow] = slot
        clock.append((slot, nextSerial))
        nextSerial += 1
        return slot
    }

    private mutating func evictOne(sparing spared: Int?, frame: Int, limits: PacketDecoder.Limits,
                                   log: inout PacketLog, emit: TCPStream.Emit) {
        while clockHead < clock.count {
            let (slot, serial) = clock[clockHead]
            clockHead += 1
            // A stale entry: the slot was freed or reused since.
            guard index[slots[slot].flow] == slot, slots[slot].serial == serial else { continue }
            if slot == spared || slots[slot].touched {
                slots[slot].touched = false
                clock.append((slot, serial))
                continue
            }
            if slots[slot].isActive { log.note(.tcpStreamsEvicted, frame: frame) }
            heldBytes -= slots[slot].heldBytes
            slots[slot].finish(limits: limits, log: &log, emit: emit)
            index[slots[slot].flow] = nil
            slots[slot] = TCPStream(flow: slots[slot].flow, serial: -1)
            free.append(slot)
            compactClock()
            return
        }
    }

    private mutating func compactClock() {
        guard clockHead > 1024, clockHead * 2 > clock.count else { return }
        clock.removeFirst(clockHead)
        clockHead = 0
    }
}
