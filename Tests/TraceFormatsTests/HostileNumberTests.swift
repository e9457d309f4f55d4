import Testing
@testable import TraceFormats

/// Numbers a capture supplies, at the edges of their types: the arithmetic
/// done with them must not overflow (an overflow is a trap in Swift).
@Suite struct HostileNumberTests {
    /// The window `diagnose --call-id` passes is the capture's own INVITE
    /// times plus a margin; a pcapng can date a frame at Int64.max ns, and
    /// `Int64(seconds * 1e9)` of that plus the margin trapped.
    @Test func inviteWindowPastInt64NanosecondsSaturates() {
        let top = Double(Int64.max) / 1e9
        let filter = CallFilter(["a@b"], inviteWindow: (top - 10)...(top + 10))
        #expect(filter.inviteWindow?.upperBound == Int64.max)
        let bottom = CallFilter(["a@b"], inviteWindow: -1e300...(-1e300))
        #expect(bottom.inviteWindow == Int64.min...Int64.min)
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
