/// Conversions for numbers read from a trace, which are untrusted:
/// `Int(someDouble)` traps on NaN, on infinities and on anything beyond the
/// type's range, and a `JI=1e300` in an X-RTP-Stat header once stopped the
/// process that way. These never trap.
extension FixedWidthInteger {
    /// `value` rounded toward zero (as `Int(_:)` does); nil when it is not
    /// finite or does not fit.
    public init?(checked value: Double) {
        guard value.isFinite, let v = Self(exactly: value.rounded(.towardZero)) else { return nil }
        self = v
    }

    /// `value` rounded toward zero, clamped to the type's range (infinities
    /// included); nil only for NaN, which has no place in a range.
    public init?(saturating value: Double) {
        guard !value.isNaN else { return nil }
        // Double(max) rounds up to a power of two, so `>=` catches every
        // value that would not fit.
        if value >= Double(Self.max) { self = .max }
        else if value <= Double(Self.min) { self = .min }
        else { self = Self(value.rounded(.towardZero)) }
    }
}
