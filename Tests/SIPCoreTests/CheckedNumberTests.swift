import Testing
@testable import SIPCore

/// Numbers from a trace converted without trapping: `Int(_: Double)` stops
/// the process on NaN, infinities and values past the type's range.
@Suite struct CheckedNumberTests {
    @Test func checkedTruncatesLikeIntInit() {
        #expect(Int(checked: 32.9) == 32)
        #expect(Int(checked: -32.9) == -32)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, 1e300, -1e300, 9.223372036854775807e18])
    func checkedRefusesWhatIntInitTrapsOn(_ value: Double) {
        #expect(Int(checked: value) == nil)
    }

    @Test func checkedFitsTheTargetType() {
        #expect(UInt16(checked: 65_535) == 65_535)
        #expect(UInt16(checked: 65_536) == nil)
        #expect(UInt16(checked: -1) == nil)
    }

    @Test func saturatingClampsToTheRange() {
        #expect(Int64(saturating: 1e300) == .max)
        #expect(Int64(saturating: -.infinity) == .min)
        #expect(Int64(saturating: 9.3e18) == .max)
        #expect(Int64(saturating: 1.5e9) == 1_500_000_000)
        #expect(Int64(saturating: .nan) == nil)
    }
}

/// RFC 3261 delta-seconds: Expires, Session-Expires, Retry-After.
@Suite struct DeltaSecondsTests {
    @Test func readsTheLeadingDigits() {
        #expect(DeltaSeconds.parse("3600") == 3600)
        #expect(DeltaSeconds.parse(" 1800;refresher=uac") == 1800)
    }

    @Test func refusesWhatIsNotANumber() {
        #expect(DeltaSeconds.parse("") == nil)
        #expect(DeltaSeconds.parse("-5") == nil)
        #expect(DeltaSeconds.parse("soon") == nil)
        #expect(DeltaSeconds.parse("1e9") == nil)
        #expect(DeltaSeconds.parse("60s") == nil)
    }

    /// Past 2^32-1 (RFC 3261 20.19) a value is read as that maximum, so a
    /// rule may add to it or multiply it without overflowing.
    @Test(arguments: ["9223372036854775807", "99999999999999999999", "4294967296"])
    func hugeValuesAreReadAsTheMaximum(_ text: String) {
        #expect(DeltaSeconds.parse(text) == 4_294_967_295)
    }
}
