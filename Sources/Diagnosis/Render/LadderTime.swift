/// Clock times for the ladder's time column.
///
/// A trace timestamp is either seconds since the Unix epoch (the trace gave
/// a date) or seconds since midnight (it gave only a time of day); see
/// `CapturedMessage.timestamp`. Both are shown as a time of day,
/// `HH:MM:SS.mmm`, because that is what an engineer matches against the
/// phone's or the carrier's logs. Epoch values are shown in UTC, and the
/// date is printed once above the ladder, so the column stays narrow.
/// (Relative `+1.234s` times were considered and rejected: they cannot be
/// matched against other logs.)
public enum LadderTime {
    /// Anything at or beyond two days cannot be a time of day, so it is
    /// read as epoch seconds.
    static let epochThreshold: Double = 2 * 86_400

    /// Beyond this (year 33658) a timestamp is corrupt, and converting it
    /// to an integer could trap.
    static let limit: Double = 1e12

    static func isEpoch(_ t: Double) -> Bool { t >= epochThreshold }

    /// `14:22:01.103`; `--:--:--.---` for values that are not finite.
    public static func clock(_ t: Double) -> String {
        guard t.isFinite, t >= 0, t < limit else { return "--:--:--.---" }
        // To the microsecond first, then down to the millisecond: 14:22:01.103
        // is stored as 53521.10299999..., and .1039 must still read .103.
        let millis = Int64((t * 1_000_000).rounded()) / 1000
        let ofDay = millis % 86_400_000
        let h = ofDay / 3_600_000, m = ofDay / 60_000 % 60, s = ofDay / 1000 % 60, ms = ofDay % 1000
        return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(ms, 3)
    }

    /// `2026-11-24` for an epoch value (UTC), nil for a time of day.
    public static func utcDate(_ t: Double) -> String? {
        guard t.isFinite, isEpoch(t), t < limit else { return nil }
        let days = Int64((t / 86_400).rounded(.down))
        let (y, m, d) = civil(fromDays: days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date
    /// (H. Hinnant's `civil_from_days`), so the renderer needs no calendar.
    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
