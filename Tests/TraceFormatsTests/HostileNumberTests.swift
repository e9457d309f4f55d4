import Testing
@testable import TraceFormats

/// Numbers a capture supplies, at the edges of their types: the arithmetic
/// done with them must not overflow (an overflow is a trap in Swift).
@Suite struct HostileNumberTests {
    /// The window `diagnose --call-id` passes is the capture's own INVITE
    /// times plus a margin; a pcapng can date a frame at Int64.max ns, and
    /// `Int64(seconds * 1e9)` of that plus the margin trapped. A window no
    /// nanosecond count can hold keeps no foreign INVITE; one inside it
    /// is kept to the nanosecond.
    @Test func inviteWindowPastInt64NanosecondsIsDroppedNotTrapped() {
        let top = Double(Int64.max) / 1e9
        #expect(CallFilter(["a@b"], inviteWindow: (top - 10)...(top + 10)).inviteWindow == nil)
        #expect(CallFilter(["a@b"], inviteWindow: -1e300...(-1e300)).inviteWindow == nil)
        #expect(CallFilter(["a@b"], inviteWindow: 1_700_000_000...1_700_000_004).inviteWindow == 1_700_000_000_000_000_000...1_700_000_004_000_000_000)
    }

    /// if_tsoffset and 64-bit ticks can name any instant; frame times are
    /// kept within ±2^62 ns so that the gap between any two (RTP jitter,
    /// the largest gap, the reassembly timeout) cannot overflow.
    @Test func pcapngTimesStayWhereTheirDifferencesFit() throws {
        let late = try #require(TickClock(resolution: 0, offsetSeconds: Int64.max))
        let early = try #require(TickClock(resolution: 0, offsetSeconds: Int64.min))
        let a = late.nanos(UInt64.max), b = early.nanos(0)
        #expect(a == TickClock.limitNanos)
        #expect(b == -TickClock.limitNanos)
        #expect(!a.subtractingReportingOverflow(b).overflow)
        #expect(!b.subtractingReportingOverflow(PacketDecoder.Limits().fragmentTimeoutNanos).overflow)
    }
}

/// Hostile pcap headers: every length field at its maximum, and a record
/// that says it captured more than went over the wire.
@Suite struct HostilePcapHeaderTests {
    @Test func snapLengthOfUInt32MaxReadsTheFramesWhole() throws {
        var bytes = try CaptureSamples.pcap(count: 2)
        CaptureSamples.put32(&bytes, at: 16, 0xFFFF_FFFF)
        let (frames, warnings) = try CaptureSamples.readAll(bytes)
        #expect(frames.count == 2)
        #expect(warnings.isEmpty)
    }

    @Test func capturedLengthOfUInt32MaxIsDamageNotAnAllocation() throws {
        var bytes = try CaptureSamples.pcap(count: 2)
        CaptureSamples.put32(&bytes, at: CaptureSamples.pcapRecordOffset(2) + 8, 0xFFFF_FFFF)
        CaptureSamples.put32(&bytes, at: CaptureSamples.pcapRecordOffset(2) + 12, 0xFFFF_FFFF)
        // Damage is an error that names the length, or a warning after the good frame.
        if let error = CaptureSamples.error(bytes) {
            #expect(error.description.contains("4294967295 bytes were captured"), "\(error)")
        } else {
            let (frames, warnings) = try CaptureSamples.readAll(bytes)
            #expect(frames.count == 1)
            #expect(warnings.contains { $0.contains("4294967295 bytes were captured") }, "\(warnings)")
        }
    }

    @Test func capturedLongerThanOriginalIsReadAsCaptured() throws {
        var bytes = try CaptureSamples.pcap(count: 1)
        CaptureSamples.put32(&bytes, at: CaptureSamples.pcapRecordOffset(1) + 12, 1)
        let (frames, _) = try CaptureSamples.readAll(bytes)
        #expect(frames.first?.originalLength == 1)
        #expect((frames.first?.data.count ?? 0) > 1)
    }

    @Test func timeStampsAtTheirMaximumStayInRange() throws {
        var bytes = try CaptureSamples.pcap(count: 1)
        CaptureSamples.put32(&bytes, at: CaptureSamples.pcapRecordOffset(1), 0xFFFF_FFFF)
        CaptureSamples.put32(&bytes, at: CaptureSamples.pcapRecordOffset(1) + 4, 0xFFFF_FFFF)
        let (frames, _) = try CaptureSamples.readAll(bytes)
        #expect(frames.count == 1)
    }
}
