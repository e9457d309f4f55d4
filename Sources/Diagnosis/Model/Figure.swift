import SIPCore

/// Numbers as the explanation prints them: one decimal place at most, and
/// none when it is zero (`32 s`, `1.5 %`). The core avoids Foundation's
/// formatters, whose output depends on the locale.
public enum Figure {
    public static func text(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let r = (value * 10).rounded() / 10
        // A figure from the trace can be anything (`JI=1e300`): past Int's
        // range it prints as Swift prints the double, never trapping.
        if r == r.rounded(), let whole = Int(checked: r) { return String(whole) }
        return String(r)
    }
}
